using LibGit2Sharp;

namespace GitOps.Source;

/// <summary>
/// Finds a directory of a commit by walking its path from the root tree, remembering the sub-directories of the
/// few large trees on the way. libgit2's <c>git_tree_entry_bypath</c> reads and parses every tree on the path on
/// each call unless the handle has it cached (<see cref="LargeTreeCache"/>), and a repository is opened per snapshot,
/// so in a monorepo with one directory per app each app's snapshot paid for parsing the whole <c>apps/</c> tree:
/// ~19 ms at 50 000 entries.
/// Trees are content-addressed, so an index keyed by the tree's id stays valid forever and across mirrors.
/// Building the index costs about ten direct reads (LibGit2Sharp marshals every entry: 110–230 ms and ~20 MB of
/// garbage for 50 000 entries against ~11 ms for a read from a fresh handle, measured on a busy 2-core machine). A
/// tree is indexed only once a few times that many paths have gone through it: a commit that touches a few dozen apps
/// (what a push webhook brings, where latency counts) reads directly and never pays for an index it would barely use,
/// while a pass over thousands of apps pays a few hundred milliseconds of direct reads before it stops paying per app.
/// The paths resolved lately are remembered by (root tree, path), so an app's snapshot does not read again what its
/// directory-id lookup read a moment before.
/// </summary>
internal sealed class TreeIndex
{
    // A tree entry is "<mode> <name>\0" plus a 20-byte id: 16 KiB is about 512 entries. Smaller trees are read
    // directly (libgit2 caches those under 4 KiB within a repository anyway).
    private const long DefaultLargeTreeBytes = 16 * 1024;

    // ~100 bytes an entry: a few 50 000-entry trees (the current and previous commits' big directories), ~25 MB.
    private const int DefaultMaxEntries = 1 << 18;

    // Direct reads of a large tree before it is indexed: about three times what indexing it costs (see above). At 8
    // (break-even) a commit touching 10 of 50 000 apps paid 7 reads and an index: ~200 ms of CPU against ~110 ms.
    private const int DefaultIndexAfterReads = 32;

    // Large trees whose direct reads are being counted; forgetting one costs a few more direct reads.
    private const int MaxCounted = 64;

    // Paths resolved lately. A commit's app is asked twice within moments (its directory id to see whether it
    // changed, then its snapshot), and each direct read parses the whole large tree on the way; a few thousand
    // entries cover a push's apps many times over, and forgetting them all costs one more read each.
    private const int MaxRemembered = 4096;

    private const int IdSize = 20;

    private readonly long largeTreeBytes;
    private readonly int maxEntries;
    private readonly int indexAfterReads;
    private readonly Action<ObjectId>? onTreeRead;
    private readonly Lock gate = new();
    private readonly Dictionary<ObjectId, LinkedListNode<Directories>> indexed = [];
    private readonly LinkedList<Directories> recent = new();
    private readonly Dictionary<ObjectId, int> directReads = [];
    private readonly Dictionary<(ObjectId Root, string Path), ObjectId> remembered = [];
    private int heldEntries;

    public TreeIndex()
        : this(DefaultLargeTreeBytes, DefaultMaxEntries, DefaultIndexAfterReads)
    {
    }

    /// <param name="onTreeRead">Told each tree whose contents are read (tests).</param>
    internal TreeIndex(long largeTreeBytes, int maxEntries, int indexAfterReads, Action<ObjectId>? onTreeRead = null)
    {
        this.largeTreeBytes = largeTreeBytes;
        this.maxEntries = maxEntries;
        this.indexAfterReads = indexAfterReads;
        this.onTreeRead = onTreeRead;
    }

    /// <summary>The id of the directory at <paramref name="path"/> (normalised, '/'-separated) under
    /// <paramref name="root"/>; null when a component is missing or not a directory (a file, a symlink, a
    /// submodule).</summary>
    public ObjectId? FindDirectory(Repository repo, Tree root, string path)
    {
        lock (gate)
        {
            if (remembered.TryGetValue((root.Id, path), out var known))
            {
                return known;
            }
        }

        if (Walk(repo, root, path) is not { } found)
        {
            return null;
        }

        lock (gate)
        {
            if (remembered.Count >= MaxRemembered)
            {
                remembered.Clear();
            }

            remembered[(root.Id, path)] = found;
        }

        return found;
    }

    private ObjectId? Walk(Repository repo, Tree root, string path)
    {
        var id = root.Id;
        // Null when known only by id, from an index: looked up only if it is not indexed itself.
        Tree? tree = root;
        foreach (var name in path.Split('/'))
        {
            var directories = Indexed(id);
            if (directories is null)
            {
                tree ??= Read(repo.Lookup<Tree>(id), id);
                if (tree is null)
                {
                    return null;
                }

                // The object's header gives its size without parsing it.
                if (repo.ObjectDatabase.RetrieveObjectMetadata(id).Size >= largeTreeBytes && IsDueForIndex(id))
                {
                    directories = Add(Index(tree));
                }
                else
                {
                    onTreeRead?.Invoke(id);
                    if (tree[name] is not { TargetType: TreeEntryTargetType.Tree } entry)
                    {
                        return null;
                    }

                    tree = (Tree)entry.Target;
                    id = tree.Id;
                    continue;
                }
            }

            if (directories.Find(name) is not { } child)
            {
                return null;
            }

            id = child;
            tree = null;
        }

        return id;
    }

    private Tree? Read(Tree? tree, ObjectId id)
    {
        onTreeRead?.Invoke(id);
        return tree;
    }

    private Directories Index(Tree tree)
    {
        onTreeRead?.Invoke(tree.Id);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var ids = new byte[IdSize * 64];
        foreach (var entry in tree)
        {
            // Only directories: a file, a symlink or a submodule is "not a directory" just like a missing name.
            if (entry.TargetType != TreeEntryTargetType.Tree || !names.TryAdd(entry.Name, names.Count))
            {
                continue;
            }

            if (names.Count * IdSize > ids.Length)
            {
                Array.Resize(ref ids, ids.Length * 2);
            }

            entry.Target.Id.RawId.CopyTo(ids, (names.Count - 1) * IdSize);
        }

        Array.Resize(ref ids, names.Count * IdSize);
        return new Directories(tree.Id, names, ids);
    }

    /// <summary>Counts a path going through the large tree <paramref name="id"/>; true when it should be indexed
    /// rather than read directly once more.</summary>
    private bool IsDueForIndex(ObjectId id)
    {
        lock (gate)
        {
            var reads = directReads.GetValueOrDefault(id) + 1;
            if (reads >= indexAfterReads)
            {
                directReads.Remove(id);
                return true;
            }

            if (directReads.Count >= MaxCounted && !directReads.ContainsKey(id))
            {
                directReads.Clear();
            }

            directReads[id] = reads;
            return false;
        }
    }

    private Directories? Indexed(ObjectId id)
    {
        lock (gate)
        {
            if (!indexed.TryGetValue(id, out var node))
            {
                return null;
            }

            recent.Remove(node);
            recent.AddFirst(node);
            return node.Value;
        }
    }

    private Directories Add(Directories directories)
    {
        lock (gate)
        {
            // Two builds may index the same tree at once; the first one kept wins.
            if (indexed.TryGetValue(directories.Tree, out var existing))
            {
                return existing.Value;
            }

            indexed[directories.Tree] = recent.AddFirst(directories);
            heldEntries += directories.Count;
            // The newest index stays even when it alone exceeds the budget: dropping it would parse it per app.
            while (heldEntries > maxEntries && recent.Count > 1)
            {
                var oldest = recent.Last!.Value;
                recent.RemoveLast();
                indexed.Remove(oldest.Tree);
                heldEntries -= oldest.Count;
            }

            return directories;
        }
    }

    /// <summary>A tree's sub-directories: name → index of its 20-byte id in <paramref name="ids"/> (an ObjectId
    /// each would be ~170 bytes, its hex string included).</summary>
    private sealed class Directories(ObjectId tree, Dictionary<string, int> names, byte[] ids)
    {
        public ObjectId Tree { get; } = tree;

        public int Count => names.Count;

        public ObjectId? Find(string name) =>
            names.TryGetValue(name, out var i) ? new ObjectId(ids.AsSpan(i * IdSize, IdSize).ToArray()) : null;
    }
}
