extension RADLDocument {
    /// The document in plain RADL, in the layout IM prints (and its clients parse back).
    var text: String {
        var parts: [String] = []
        parts += descriptions.map(\.text)
        parts += ansibles.map(\.text)
        parts += networks.map(\.text)
        parts += systems.map(\.text)
        parts += configures.map(\.text)
        if let contextualize { parts.append(contextualize.text) }
        parts += deploys.map(\.text)
        return parts.joined(separator: "\n") + (parts.isEmpty ? "" : "\n")
    }

    /// Checks references: deployed and contextualized systems, configures and the networks
    /// interfaces connect to must be defined here or in `known` (an infrastructure's RADL).
    func validate(known: RADLDocument? = nil) throws(RADLError) {
        func hasSystem(_ name: String) -> Bool { system(name) != nil || known?.system(name) != nil }
        func hasNetwork(_ name: String) -> Bool {
            networks.contains { $0.id == name } || known?.networks.contains { $0.id == name } == true
        }
        for deploy in deploys where !hasSystem(deploy.system) {
            throw RADLError(message: "deploy names undefined system '\(deploy.system)'", line: deploy.line, column: 1)
        }
        for item in contextualize?.items ?? [] {
            guard hasSystem(item.system) else {
                throw RADLError(
                    message: "contextualize names undefined system '\(item.system)'", line: item.line, column: 1)
            }
            guard configure(item.configure) != nil || known?.configure(item.configure) != nil else {
                throw RADLError(
                    message: "contextualize names undefined configure '\(item.configure)'", line: item.line, column: 1)
            }
        }
        for system in systems where !system.reference {
            for feature in system.features
            where feature.name.hasPrefix("net_interface.") && feature.name.hasSuffix(".connection") {
                guard let network = feature.value.text, hasNetwork(network) else {
                    throw RADLError(
                        message:
                            "\(feature.name) of system '\(system.id)' names undefined network '\(feature.value.text ?? "")'",
                        line: feature.line, column: 1)
                }
            }
        }
    }
}

extension RADLAspect {
    /// `system front (\n…\n)` or a bare reference.
    var text: String {
        if reference { return "\(kind) \(id)" }
        let body = features.map(\.text).joined(separator: " and\n")
        return kind == "system" || kind == "description" ? "\(kind) \(id) (\n\(body)\n)\n" : "\(kind) \(id) ( \(body) )"
    }
}

extension RADLFeature {
    /// `memory.size >= 512m`, `disk.0.image.url = 'one://…'`, `x contains (…)`.
    var text: String {
        switch value {
        case .features(let inner) where op == "soft":
            let weight = inner.first { $0.name == "weight" }?.value.text ?? "0"
            return "soft \(weight) (\n" + inner.filter { $0.name != "weight" }.map(\.text).joined(separator: " and\n")
                + "\n)"
        case .features(let inner):
            return "\(name) contains (\n" + inner.map(\.text).joined(separator: " and\n") + "\n)"
        case .string(let text):
            return "\(name) \(op) '\(RADLFeature.escape(text))'"
        case .number(let number, let unit):
            return "\(name) \(op) \(RADLValue.format(number))\(unit ?? "")"
        case .list(let items):
            return "\(name) \(op) [" + items.map { "'\(RADLFeature.escape($0))'" }.joined(separator: ",") + "]"
        }
    }

    static func escape(_ text: String) -> String { text.replacingOccurrences(of: "'", with: "\\'") }
}

extension RADLConfigure {
    var text: String {
        if reference { return "configure \(name)" }
        guard let recipes else { return "configure \(name) ()" }
        return "configure \(name) (\n@begin\n\(recipes)\n@end\n)"
    }
}

extension RADLContextualize {
    var text: String {
        var lines = options.map { "option \($0.text)" }
        for item in items {
            var line = "system \(item.system) configure \(item.configure)"
            if let step = item.step { line += " step \(step)" }
            if let tool = item.tool { line += " with \(tool)" }
            lines.append(line)
        }
        return "contextualize " + (maxTime.map { "\($0) " } ?? "") + "(\n" + lines.joined(separator: "\n") + "\n)"
    }
}

extension RADLDeploy {
    var text: String { "deploy \(system) \(count)" + (cloud.map { " \($0)" } ?? "") }
}
