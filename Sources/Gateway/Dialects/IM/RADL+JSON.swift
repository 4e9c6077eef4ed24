import Foundation

/// RADL's JSON form: an array of objects with a `class` (`network`, `system`, `configure`,
/// `contextualize`, `deploy`, `description`, `ansible`); features are keys, `_min`/`_max`
/// suffixes stand for `>=`/`<=`, lists for `contains`, numbers carry no unit.
enum RADLJSON {
    /// Parses the JSON form.
    static func parse(_ data: Data) throws(RADLError) -> RADLDocument {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw RADLError(message: "body is not valid JSON", line: 1, column: 1)
        }
        guard let items = object as? [Any] else {
            throw RADLError(message: "RADL JSON must be an array of objects", line: 1, column: 1)
        }
        var document = RADLDocument()
        for (index, item) in items.enumerated() {
            let line = index + 1
            guard let aspect = item as? [String: Any], let kind = aspect["class"] as? String else {
                throw RADLError(message: "element \(index) has no 'class'", line: line, column: 1)
            }
            let reference = aspect["reference"] as? Bool ?? false
            switch kind {
            case "configure":
                guard let id = aspect["id"] as? String else { throw missing("id", index) }
                document.configures.append(
                    RADLConfigure(
                        name: id, recipes: reference ? nil : aspect["recipes"] as? String, reference: reference,
                        line: line))
            case "deploy":
                guard let system = aspect["system"] as? String else { throw missing("system", index) }
                guard let count = aspect["vm_number"] as? Int, count >= 0 else { throw missing("vm_number", index) }
                document.deploys.append(
                    RADLDeploy(system: system, count: count, cloud: aspect["cloud"] as? String, line: line))
            case "contextualize":
                var context = RADLContextualize(line: line)
                context.maxTime = aspect["max_time"] as? Int
                if let options = aspect["options"] as? [String: Any] {
                    context.options = try features(options, depth: 0, line: line)
                }
                for raw in aspect["items"] as? [[String: Any]] ?? [] {
                    guard let system = raw["system"] as? String, let configure = raw["configure"] as? String else {
                        throw missing("system/configure", index)
                    }
                    context.items.append(
                        .init(
                            system: system, configure: configure, step: raw["step"] as? Int,
                            tool: raw["ctxt_tool"] as? String, line: line))
                }
                document.contextualize = context
            case "network", "system", "description", "ansible":
                guard let id = aspect["id"] as? String, !id.isEmpty else { throw missing("id", index) }
                var parsed = RADLAspect(kind: kind, id: id, reference: reference, line: line)
                if !reference {
                    parsed.features = try features(
                        aspect.filter { $0.key != "class" && $0.key != "id" }, depth: 0, line: line)
                }
                switch kind {
                case "network": document.networks.append(parsed)
                case "system": document.systems.append(parsed)
                case "description": document.descriptions.append(parsed)
                default: document.ansibles.append(parsed)
                }
            default:
                throw RADLError(message: "element \(index) has unknown class '\(kind)'", line: line, column: 1)
            }
        }
        return document
    }

    private static func missing(_ field: String, _ index: Int) -> RADLError {
        RADLError(message: "element \(index) lacks a valid '\(field)'", line: index + 1, column: 1)
    }

    private static func features(_ object: [String: Any], depth: Int, line: Int) throws(RADLError) -> [RADLFeature] {
        guard depth < RADLParser.maxDepth else {
            throw RADLError(message: "features nested too deeply", line: line, column: 1)
        }
        var result: [RADLFeature] = []
        for key in object.keys.sorted() {
            let value = object[key]!
            if key == "softs", let softs = value as? [[String: Any]] {
                for soft in softs {
                    let weight = (soft["weight"] as? NSNumber)?.doubleValue ?? 0
                    let inner = try features(soft["items"] as? [String: Any] ?? [:], depth: depth + 1, line: line)
                    result.append(
                        RADLFeature(
                            "soft", "soft", .features([RADLFeature("weight", "=", .number(weight, unit: nil))] + inner))
                    )
                }
            } else if key.hasSuffix("_min"), let number = value as? NSNumber {
                result.append(
                    RADLFeature(String(key.dropLast(4)), ">=", .number(number.doubleValue, unit: nil), line: line))
            } else if key.hasSuffix("_max"), let number = value as? NSNumber {
                result.append(
                    RADLFeature(String(key.dropLast(4)), "<=", .number(number.doubleValue, unit: nil), line: line))
            } else if let list = value as? [Any] {
                if let strings = list as? [String], key.hasSuffix("image.url") || key.hasSuffix("additional_dns_names")
                {
                    result.append(RADLFeature(key, "=", .list(strings), line: line))
                } else {
                    for element in list {
                        result.append(
                            RADLFeature(
                                key, "contains", try scalar(element, key: key, depth: depth, line: line), line: line))
                    }
                }
            } else {
                result.append(RADLFeature(key, "=", try scalar(value, key: key, depth: depth, line: line), line: line))
            }
        }
        return result
    }

    private static func scalar(_ value: Any, key: String, depth: Int, line: Int) throws(RADLError) -> RADLValue {
        if let text = value as? String { return .string(text) }
        if let number = value as? NSNumber {
            return .number(number.doubleValue, unit: nil)
        }
        if let object = value as? [String: Any] {
            if object["class"] is String, let id = object["id"] as? String { return .string(id) }
            return .features(try features(object, depth: depth + 1, line: line))
        }
        throw RADLError(message: "feature '\(key)' has an unsupported value", line: line, column: 1)
    }

    // MARK: Encoding

    /// The document as JSON-ready values (`radlToSimple`).
    static func simple(_ document: RADLDocument) -> [[String: Any]] {
        var result: [[String: Any]] = []
        for aspect in document.ansibles + document.networks + document.systems { result.append(simple(aspect)) }
        for configure in document.configures {
            var object: [String: Any] = ["class": "configure", "id": configure.name]
            if configure.reference {
                object["reference"] = true
            } else {
                object["recipes"] = configure.recipes ?? NSNull()
            }
            result.append(object)
        }
        for deploy in document.deploys {
            var object: [String: Any] = ["class": "deploy", "system": deploy.system, "vm_number": deploy.count]
            if let cloud = deploy.cloud { object["cloud"] = cloud }
            result.append(object)
        }
        if let context = document.contextualize {
            var object: [String: Any] = ["class": "contextualize"]
            if let maxTime = context.maxTime { object["max_time"] = maxTime }
            if !context.items.isEmpty {
                object["items"] = context.items.map { item -> [String: Any] in
                    var entry: [String: Any] = ["system": item.system, "configure": item.configure]
                    if let step = item.step { entry["step"] = step }
                    if let tool = item.tool { entry["ctxt_tool"] = tool }
                    return entry
                }
            }
            if !context.options.isEmpty { object["options"] = simple(context.options) }
            result.append(object)
        }
        result += document.descriptions.map(simple)
        return result
    }

    static func simple(_ aspect: RADLAspect) -> [String: Any] {
        var object: [String: Any] = ["class": aspect.kind, "id": aspect.id]
        if aspect.reference {
            object["reference"] = true
            return object
        }
        object.merge(simple(aspect.features)) { _, new in new }
        return object
    }

    static func simple(_ features: [RADLFeature]) -> [String: Any] {
        var object: [String: Any] = [:]
        for feature in features {
            switch (feature.op, feature.value) {
            case ("soft", .features(let inner)):
                let weight = inner.first { $0.name == "weight" }?.value.scalar ?? 0
                var softs = object["softs"] as? [Any] ?? []
                softs.append(["weight": weight, "items": simple(inner.filter { $0.name != "weight" })])
                object["softs"] = softs
            case ("contains", let value):
                var list = object[feature.name] as? [Any] ?? []
                list.append(simple(value))
                object[feature.name] = list
            case (">=", let value), (">", let value):
                object[feature.name + "_min"] = simple(value)
            case ("<=", let value), ("<", let value):
                object[feature.name + "_max"] = simple(value)
            default:
                object[feature.name] = simple(feature.value)
            }
        }
        return object
    }

    static func simple(_ value: RADLValue) -> Any {
        switch value {
        case .string(let text): text
        case .number: value.scalar.map { $0.rounded() == $0 && abs($0) < 1e15 ? Int64($0) as Any : $0 as Any } ?? 0
        case .list(let items): items
        case .features(let inner): simple(inner)
        }
    }

    /// The document as JSON bytes.
    static func data(_ document: RADLDocument) -> Data {
        (try? JSONSerialization.data(withJSONObject: simple(document), options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("[]".utf8)
    }
}
