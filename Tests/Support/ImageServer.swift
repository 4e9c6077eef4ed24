public import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A loopback HTTP server for import tests, on 127.0.0.1 and a free port:
///
/// - `GET /files/NAME`: the file NAME of `directory`;
/// - `GET /big?bytes=N`: N bytes streamed in 1 MiB chunks with no `Content-Length`;
/// - `GET /sized?bytes=N`: N bytes announced with `Content-Length: N`;
/// - `GET /redirect?to=URL`: 302 to URL;
/// - `GET /slow`: answers after 3 s;
/// - anything else: 404.
public enum ImageServer {
    /// Runs `body` with the server's port.
    public static func run(directory: URL? = nil, _ body: @Sendable (Int) async throws -> Void) async throws {
        let router = Router()
        router.get("/files/:name") { _, context in
            let name = try context.parameters.require("name")
            guard let directory, !name.contains("/"),
                let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
            else { return Response(status: .notFound) }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("/big") { request, _ in
            Response(status: .ok, body: Self.stream(Int(request.uri.queryParameters["bytes"] ?? "") ?? (1 << 20)))
        }
        router.get("/sized") { request, _ in
            let total = Int(request.uri.queryParameters["bytes"] ?? "") ?? 0
            return Response(status: .ok, body: Self.stream(total, announced: true))
        }
        router.get("/redirect") { request, _ in
            let target = request.uri.queryParameters["to"].map(String.init) ?? "/"
            return Response(status: .found, headers: [.location: target])
        }
        router.get("/slow") { _, _ in
            try await Task.sleep(for: .seconds(3))
            return Response(status: .ok)
        }
        let server = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await server.test(.live) { origin in
            guard let port = origin.port else { throw CocoaError(.featureUnsupported) }
            try await body(port)
        }
    }

    /// A body of `total` bytes in 1 MiB chunks, with or without `Content-Length`.
    static func stream(_ total: Int, announced: Bool = false) -> ResponseBody {
        ResponseBody(contentLength: announced ? total : nil) { writer in
            let chunk = ByteBuffer(repeating: 0x5A, count: 1 << 20)
            var sent = 0
            while sent < total {
                let count = min(chunk.readableBytes, total - sent)
                try await writer.write(chunk.getSlice(at: 0, length: count)!)
                sent += count
            }
            try await writer.finish(nil)
        }
    }
}
