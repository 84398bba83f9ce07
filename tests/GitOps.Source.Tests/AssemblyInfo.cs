// The source stage targets Linux containers; tests check Unix modes and symlinks.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
