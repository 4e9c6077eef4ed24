import Foundation
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Native API: the OpenAPI document and what the server answers outside it")
struct NativeOpenAPITests {
    static func document(_ client: any TestClientProtocol) async throws -> [String: Any] {
        try await client.json(.get, "/api/v1/openapi.json")
    }

    /// `path` with every `{parameter}` replaced by a value the route accepts as a segment.
    static func concrete(_ path: String, _ operation: [String: Any]) -> String {
        let parameters = operation["parameters"] as? [[String: Any]] ?? []
        return "/"
            + path.split(separator: "/").map { segment -> String in
                guard segment.hasPrefix("{") else { return String(segment) }
                let name = String(segment.dropFirst().dropLast())
                let schema = parameters.first { $0["name"] as? String == name }?["schema"] as? [String: Any]
                return (schema?["enum"] as? [String])?.first ?? "nothing-here"
            }.joined(separator: "/")
    }

    @Test("the document is consistent: unique operation ids, declared path parameters, resolvable refs and links")
    func wellFormed() async throws {
        try await TestGateway.run { client, _ in
            let document = try await Self.document(client)
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
            let components = try #require(document["components"] as? [String: [String: Any]])
            let ids = paths.values.flatMap(\.values).compactMap { $0["operationId"] as? String }
            #expect(Set(ids).count == ids.count && ids.count == paths.values.map(\.count).reduce(0, +))
            for (path, operations) in paths {
                let names = path.split(separator: "/").filter { $0.hasPrefix("{") }.map { $0.dropFirst().dropLast() }
                for (method, operation) in operations {
                    let declared = (operation["parameters"] as? [[String: Any]] ?? []).filter {
                        $0["in"] as? String == "path"
                    }
                    #expect(
                        Set(declared.compactMap { $0["name"] as? String }) == Set(names.map(String.init)),
                        "\(method) \(path)")
                    let responses = operation["responses"] as? [String: [String: Any]] ?? [:]
                    #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(method) \(path) documents its success")
                    for response in responses.values {
                        for link in (response["links"] as? [String: [String: Any]] ?? [:]).values {
                            #expect(ids.contains(link["operationId"] as? String ?? ""), "link from \(method) \(path)")
                        }
                    }
                }
            }
            // Every reference names a component.
            let text = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
            let refs = text.components(separatedBy: "\"$ref\":\"#\\/components\\/").dropFirst().map {
                $0.prefix { $0 != "\"" }.replacingOccurrences(of: "\\/", with: "/")
            }
            #expect(!refs.isEmpty)
            for ref in refs {
                let parts = ref.split(separator: "/").map(String.init)
                #expect(components[parts[0]]?[parts[1]] != nil, "\(ref)")
            }
        }
    }

    @Test("every documented operation is served, and other methods on its path answer 405 with Allow")
    func routesMatchTheDocument() async throws {
        try await TestGateway.run { client, _ in
            let paths = try #require(try await Self.document(client)["paths"] as? [String: [String: [String: Any]]])
            #expect(paths.count >= 25)
            for (path, operations) in paths {
                let documented = Set(operations.keys.map { $0.uppercased() })
                for (method, operation) in operations {
                    let uri = "/api/v1" + Self.concrete(path, operation)
                    let (status, body, _) = try await client.send(HTTPRequest.Method(method.uppercased())!, uri)
                    #expect(status != .methodNotAllowed, "\(method) \(uri)")
                    #expect(status != .notFound || body.readableBytes > 0, "\(method) \(uri) is not routed")
                }
                let uri = "/api/v1" + Self.concrete(path, operations.values.first ?? [:])
                for method in ["GET", "PUT", "POST", "DELETE", "PATCH", "TRACE"] where !documented.contains(method) {
                    let (status, body, headers) = try await client.send(HTTPRequest.Method(method)!, uri)
                    #expect(status == .methodNotAllowed, "\(method) \(uri)")
                    let allowed = Set(
                        (headers[.allow] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                    #expect(allowed == documented, "\(method) \(uri): Allow \(headers[.allow] ?? "-")")
                    let error =
                        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: [String: Any]]
                    #expect(error?["error"]?["code"] as? Int == 405)
                }
                let options = try await client.send(.options, uri)
                #expect(options.status == .noContent && options.headers[.allow] != nil, "OPTIONS \(uri)")
            }
        }
    }

    @Test("path parameters are percent-decoded; a broken escape is 400")
    func percentEncodedPath() async throws {
        try await TestGateway.run { client, _ in
            let machine = try await client.json(.get, "/api/v1/machines/local%3Afixture-one")
            #expect(machine["id"] as? String == "local:fixture-one")
            let broken = try await client.json(.get, "/api/v1/machines/local%ZZ", expect: .badRequest)
            #expect((broken["error"] as? [String: Any])?["kind"] as? String == "invalid")
        }
    }

    @Test("keepDisks takes true or false only: anything else is 400 and deletes nothing")
    func keepDisksFlag() async throws {
        try await TestGateway.run { client, _ in
            _ = try await client.json(.delete, "/api/v1/machines/fixture-one?keepDisks=perhaps", expect: .badRequest)
            _ = try await client.json(.get, "/api/v1/machines/fixture-one")
            #expect(try await client.send(.delete, "/api/v1/machines/fixture-one?keepDisks=true").status == .noContent)
        }
    }

    @Test("text that machine metadata cannot hold and bad network names are 400 with a clear message")
    func metadataText() async throws {
        try await TestGateway.run { client, _ in
            let badTag = try await client.json(
                .post, "/api/v1/machines", json: #"{"name":"t1","tags":{"a":"x\u000by"}}"#, expect: .badRequest)
            #expect(
                ((badTag["error"] as? [String: Any])?["message"] as? String)?.contains("control characters") == true)
            _ = try await client.json(
                .post, "/api/v1/machines", json: #"{"name":"t2","network":"not a network!"}"#, expect: .badRequest)
            _ = try await client.json(
                .patch, "/api/v1/machines/fixture-one", json: #"{"tags":{"k\u0000":"v"}}"#, expect: .badRequest)
            _ = try await client.json(
                .post, "/api/v1/machines/fixture-one/snapshots", json: #"{"description":"a\u0001b"}"#,
                expect: .badRequest)
            _ = try await client.json(.get, "/api/v1/machines/t1", expect: .notFound)
            _ = try await client.json(.get, "/api/v1/machines/t2", expect: .notFound)
        }
    }
}
