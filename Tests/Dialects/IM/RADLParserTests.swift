import Foundation
import Testing

@testable import IMDialect

@Suite("IM: RADL parser")
struct RADLParserTests {
    static let full = """
        # a comment
        description desc (name = 'My infra')
        network publica (outbound = 'yes' and outports = '22/tcp')
        network privada ()
        system front (
            cpu.arch = 'x86_64' and
            cpu.count >= 2 and
            memory.size >= 512m and
            net_interface.0.connection = 'publica' and
            net_interface.1.connection = 'privada' and
            disk.0.image.url = ['one://host/demo', 'vmgate://x/demo'] and
            disk.0.os.credentials.password = 'it\\'s' and
            disk.1.size = 10g and
            disk.0.applications contains (name = 'app' and version >= '1.0') and
            soft 10 (memory.size <= 1GiB)
        )
        configure front (
        @begin
        #cloud-config
        runcmd:
          - echo ')' > /tmp/x
        @end
        )
        configure other
        contextualize 600 (
            option ansible_version = '2.9'
            system front configure front step 1
            system front configure other with cloud_init
        )
        deploy front 2 mycloud
        """

    @Test("parses every sentence, operator, unit and recipe block")
    func full() throws {
        let document = try RADLParser.parse(Self.full)
        #expect(document.networks.map(\.id) == ["publica", "privada"])
        let front = try #require(document.system("front"))
        #expect(front.lowerBound("cpu.count") == 2)
        #expect(front.lowerBound("memory.size") == 512e6)
        #expect(front.value("disk.1.size") == .number(10, unit: "g"))
        #expect(front.value("disk.0.image.url") == .list(["one://host/demo", "vmgate://x/demo"]))
        #expect(front.string("disk.0.os.credentials.password") == "it's")
        #expect(front.features.contains { $0.op == "contains" && $0.name == "disk.0.applications" })
        #expect(front.features.contains { $0.op == "soft" })
        let recipe = try #require(document.configure("front")?.recipes)
        #expect(recipe.hasPrefix("#cloud-config"))
        #expect(recipe.contains("echo ')' > /tmp/x"))
        #expect(document.configures.last?.reference == true)
        #expect(document.contextualize?.maxTime == 600)
        #expect(document.contextualize?.items.map(\.configure) == ["front", "other"])
        #expect(document.contextualize?.items.last?.tool == "cloud_init")
        #expect(
            document.deploys == [
                RADLDeploy(system: "front", count: 2, cloud: "mycloud", line: document.deploys[0].line)
            ])
        #expect(document.descriptions.first?.string("name") == "My infra")
    }

    @Test("printing and re-parsing gives the same document; JSON round-trips too")
    func roundTrip() throws {
        let document = try RADLParser.parse(Self.full)
        let again = try RADLParser.parse(document.text)
        #expect(again.systems == document.systems)
        #expect(again.networks == document.networks)
        #expect(again.configures.map(\.recipes) == document.configures.map(\.recipes))
        #expect(again.deploys.map(\.count) == [2])
        let json = try RADLJSON.parse(RADLJSON.data(document))
        let front = try #require(json.system("front"))
        #expect(front.lowerBound("memory.size") == 512e6)
        #expect(front.lowerBound("cpu.count") == 2)
        #expect(front.string("net_interface.0.connection") == "publica")
        #expect(json.deploys.first?.count == 2)
        #expect(json.configure("front")?.recipes == document.configure("front")?.recipes)
    }

    @Test(
        "syntax errors name line and column",
        arguments: [
            ("system front (\ncpu.count >= \n)", 3, 1),
            ("network a (outbound = 'yes')\nsystem b ( x = 'unterminated )", 2, 16),
            ("deploy front two", 1, 14),
            ("system a (\n  memory.size >= 1g and\n  ) \n", 3, 3),
            ("configure x (\n@begin\nfoo\n", 2, 1),
            ("bogus thing", 1, 1),
            ("system a ( b ! 'c' )", 1, 14),
        ])
    func errors(text: String, line: Int, column: Int) {
        #expect(throws: RADLError.self) { try RADLParser.parse(text) }
        do {
            _ = try RADLParser.parse(text)
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.column == column, "\(error)")
        }
    }

    @Test("references are checked")
    func validation() throws {
        #expect(throws: RADLError.self) { try RADLParser.parse("deploy ghost 1").validate() }
        #expect(throws: RADLError.self) {
            try RADLParser.parse("system a (net_interface.0.connection = 'nowhere')\ndeploy a 1").validate()
        }
        #expect(throws: RADLError.self) {
            try RADLParser.parse("system a ()\ncontextualize (system a configure missing)").validate()
        }
        try RADLParser.parse("network n ()\nsystem a (net_interface.0.connection = 'n')\ndeploy a 1").validate()
    }

    @Test("JSON form: _min/_max, contains lists, errors")
    func jsonForm() throws {
        let text =
            #"[{"class":"network","id":"pub","outbound":"yes"},{"class":"system","id":"s","cpu.count_min":2,"memory.size_max":1073741824,"disk.0.image.url":["vmgate://h/demo"],"disk.0.applications":[{"name":"x"}]},{"class":"deploy","system":"s","vm_number":3}]"#
        let document = try RADLJSON.parse(Data(text.utf8))
        let system = try #require(document.system("s"))
        #expect(system.lowerBound("cpu.count") == 2)
        #expect(system.features.contains { $0.name == "memory.size" && $0.op == "<=" })
        #expect(system.features.contains { $0.name == "disk.0.applications" && $0.op == "contains" })
        #expect(document.deploys.first?.count == 3)
        #expect(throws: RADLError.self) { try RADLJSON.parse(Data(#"{"class":"system"}"#.utf8)) }
        #expect(throws: RADLError.self) { try RADLJSON.parse(Data(#"[{"class":"deploy","system":"s"}]"#.utf8)) }
        #expect(throws: RADLError.self) { try RADLJSON.parse(Data("[{".utf8)) }
    }
}
