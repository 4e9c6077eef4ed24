import ArgumentParser
import Foundation
import GatewayCore

#if canImport(Glibc)
    import Glibc
#endif

/// `vmgate user`: manage the user directory's entries.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Make entries of the configuration's user directory.",
        subcommands: [AddUser.self])
}

/// `vmgate user add NAME`: reads a password and prints the YAML entry for `users:`.
struct AddUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Hash a password (PBKDF2-SHA256) and print a 'users:' entry for the configuration.",
        discussion: "The password is read from standard input (one line), or asked for without echo on a terminal.")

    @Argument(help: "User name.")
    var name: String

    @Option(help: "admin or user.")
    var role: String = "user"

    @Option(name: .customLong("group"), help: "A group whose machines the user shares (repeatable).")
    var groups: [String] = []

    @Option(help: "Write the entry to this file (appending) instead of standard output.")
    var output: String?

    func validate() throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-@".contains($0) }) else {
            throw ValidationError("a user name is letters, digits and . _ - @")
        }
        guard ["admin", "user"].contains(role) else { throw ValidationError("--role is admin or user") }
    }

    func run() async throws {
        let password: String
        if isatty(STDIN_FILENO) != 0, let typed = getpass("Password for \(name): ") {
            password = String(cString: typed)
        } else {
            password = readLine(strippingNewline: true) ?? ""
        }
        guard !password.isEmpty else { throw ValidationError("an empty password is not allowed") }
        let hash = try PasswordHash.make(password)
        var entry = "  - name: \(name)\n    role: \(role)\n    password: '\(hash)'\n"
        if !groups.isEmpty { entry += "    groups: [\(groups.joined(separator: ", "))]\n" }
        if let output {
            let handle =
                FileHandle(forWritingAtPath: output)
                ?? {
                    _ = FileManager.default.createFile(
                        atPath: output, contents: nil, attributes: [.posixPermissions: 0o600])
                    return FileHandle(forWritingAtPath: output)
                }()
            guard let handle else { throw ValidationError("cannot write '\(output)'") }
            handle.seekToEndOfFile()
            handle.write(Data(entry.utf8))
            try handle.close()
        } else {
            print(entry, terminator: "")
        }
    }
}
