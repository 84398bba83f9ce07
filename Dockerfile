# Controller + CLI in one small image. Not built in CI (no Docker engine on our CI machines).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# node + npm build the web UI (ui/), which the controller's build embeds.
# clang + zlib link the Native AOT CLI.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/GitOps.Controller -c Release -o /out/controller \
 && dotnet publish src/GitOps.Cli -c Release -p:GitOpsAot=true -o /out/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# git over ssh:// runs the system ssh binary (libgit2); https needs only the CA bundle already in the image.
# `gitops preview` (the CLI) reads repositories with the git command.
RUN apt-get update && apt-get install -y --no-install-recommends openssh-client git && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/controller /app/controller
COPY --from=build /out/cli /app/cli
RUN ln -s /app/cli/gitops /usr/local/bin/gitops
USER 65532:65532
ENV DOTNET_EnableDiagnostics=0 ASPNETCORE_URLS=
EXPOSE 8080 8081 9090
ENTRYPOINT ["/app/controller/gitops-controller"]
