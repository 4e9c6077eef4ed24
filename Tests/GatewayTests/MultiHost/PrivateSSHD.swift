import Foundation
import GatewayCore
import GatewayTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback sshd of this test alone (same host key and authorized key as the test sshd of
/// `scripts/lib.sh`, on its own free port), so a fault test can kill it without touching the
/// sshd other tests share.
final class PrivateSSHD: @unchecked Sendable {
    let port: Int
    private let directory: URL
    private let lock = NSLock()
    private var process: ChildProcess.Running?

    /// Where `scripts/lib.sh` keeps the test keys.
    static var keyDirectory: String {
        let env = ProcessInfo.processInfo.environment
        return env["VMGATE_SSH_KEY"].map { ($0 as NSString).deletingLastPathComponent } ?? "/var/lib/vmgate/test-ssh"
    }

    init() throws {
        port = try LiveGateway.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vmgate-sshd-\(port)-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let keys = Self.keyDirectory
        let config = """
            ListenAddress 127.0.0.1
            Port \(port)
            HostKey \(keys)/ssh_host_ed25519_key
            PidFile \(directory.path)/sshd.pid
            AuthorizedKeysFile \(keys)/authorized_keys
            PermitRootLogin prohibit-password
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            AllowUsers root
            X11Forwarding no
            AllowAgentForwarding no
            PrintMotd no
            MaxStartups 64:30:128
            MaxSessions 64
            LogLevel INFO

            """
        try config.write(to: directory.appendingPathComponent("sshd_config"), atomically: true, encoding: .utf8)
    }

    /// Starts sshd in the foreground (`-D`) and waits until it accepts connections.
    func start() async throws {
        let process = try await ChildProcess.start(
            "/usr/sbin/sshd",
            [
                "-D", "-f", directory.appendingPathComponent("sshd_config").path, "-E",
                directory.appendingPathComponent("sshd.log").path,
            ])
        lock.withLock { self.process = process }
        let deadline = Date().addingTimeInterval(15)
        while !LiveGateway.isListening(port) {
            guard Date() < deadline else { throw POSIXError(.ETIMEDOUT) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Kills this sshd and every session it spawned (the host "goes away"), and waits until it is gone.
    func kill() async {
        guard let process = terminate() else { return }
        await process.waitForExit()
    }

    /// Sends SIGKILL to sshd and its sessions without waiting; returns the killed process.
    @discardableResult
    func terminate() -> ChildProcess.Running? {
        guard
            let process = lock.withLock({ () -> ChildProcess.Running? in
                defer { self.process = nil }; return self.process
            })
        else { return nil }
        let pid = process.processIdentifier
        for child in Self.descendants(of: pid) { Glibc.kill(child, SIGKILL) }
        Glibc.kill(pid, SIGKILL)
        return process
    }

    /// Stops (SIGSTOP) or continues (SIGCONT) the sshd processes serving this sshd's sessions:
    /// the network side "freezes" with its TCP connections still open. Their children
    /// (`virt-ssh-helper`, a client of the shared libvirtd) are left running.
    func freezeSessions(_ frozen: Bool) {
        guard let pid = lock.withLock({ process?.processIdentifier }) else { return }
        for child in Self.descendants(of: pid) {
            let name = (try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8)) ?? ""
            if name.hasPrefix("sshd") { Glibc.kill(child, frozen ? SIGSTOP : SIGCONT) }
        }
    }

    /// Stops sshd and removes its files.
    func stop() {
        terminate()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Every process below `root`, from `/proc/<pid>/stat`.
    static func descendants(of root: pid_t) -> [pid_t] {
        var parents: [pid_t: pid_t] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = pid_t(fields[1]) { parents[pid] = parent }
        }
        var result: [pid_t] = []
        var frontier = [root]
        while let next = frontier.popLast() {
            let children = parents.filter { $0.value == next }.map(\.key)
            result += children
            frontier += children
        }
        return result
    }
}
