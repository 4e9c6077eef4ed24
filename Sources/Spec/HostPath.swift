/// Host paths as the gateway compares them: lexically, by whole components, since a path may
/// name a file on another host (a `qemu+ssh://` backend) where symlinks cannot be resolved.
public enum HostPath {
    /// `/a//b/./c/../d` → `/a/b/d`.
    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Whether normalized `path` is `directory` or lies inside it (whole components, so
    /// `/srv/pool-b` is not inside `/srv/pool`).
    public static func contains(_ directory: String, _ path: String) -> Bool {
        let base = directory.split(separator: "/")
        let parts = path.split(separator: "/")
        return parts.count >= base.count && Array(parts.prefix(base.count)) == base
    }
}
