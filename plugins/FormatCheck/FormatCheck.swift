import Foundation
import PackagePlugin

/// `swift package format-check`: lints Sources, Tests and Package.swift with the toolchain's
/// swift-format and the repository's `.swift-format` (120 columns); fails on any finding.
/// `swift package format-check --fix` rewrites the files instead.
@main
struct FormatCheck: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let tool = try context.tool(named: "swift-format")
        let root = context.package.directoryURL
        let paths = ["Sources", "Tests", "Package.swift"].map { root.appendingPathComponent($0).path }
        let fix = arguments.contains("--fix")
        let process = Process()
        process.executableURL = tool.url
        process.arguments =
            (fix ? ["format", "--in-place"] : ["lint", "--strict"])
            + ["--configuration", root.appendingPathComponent(".swift-format").path, "--recursive", "--parallel"]
            + paths
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Diagnostics.error("swift-format found problems; run `swift package format-check --fix`")
            throw FormatCheckError.findings
        }
    }
}

enum FormatCheckError: Error {
    case findings
}
