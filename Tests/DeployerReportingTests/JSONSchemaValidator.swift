import Foundation

/// A JSON Schema (2020-12) validator for the subset docs/json-events.schema.json
/// uses, so the schema test needs nothing but Swift: `$ref` to `#/$defs/…`,
/// `oneOf`, `type`, `const`, `enum`, `properties`, `required`,
/// `additionalProperties: false`, `items`, `minimum` and `pattern`.
/// Any other keyword is reported as an error, so the subset cannot drift
/// silently.
struct JSONSchemaValidator {
    private static let annotations: Set = ["$schema", "title", "description", "$comment", "examples"]
    private static let supported: Set = ["$ref", "$defs", "oneOf", "type", "const", "enum", "properties", "required",
                                         "additionalProperties", "items", "minimum", "pattern"]
    let root: JSONDocument

    /// Problems with `instance`, as `path: message`; empty when it is valid.
    func errors(_ instance: JSONDocument) -> [String] { errors(instance, root, "$") }

    private func errors(_ instance: JSONDocument, _ schema: JSONDocument, _ path: String) -> [String] {
        guard case let .object(keywords) = schema else { return ["\(path): schema is not an object"] }
        var found: [String] = []
        for key in keywords.keys where !JSONSchemaValidator.supported.contains(key)
            && !JSONSchemaValidator.annotations.contains(key) {
            found.append("\(path): unsupported keyword \(key)")
        }
        if let ref = keywords["$ref"]?.string {
            guard ref.hasPrefix("#/$defs/"), let target = root["$defs"]?[String(ref.dropFirst(8))] else {
                return found + ["\(path): unresolvable $ref \(ref)"]
            }
            found += errors(instance, target, path)
        }
        if case let .array(options)? = keywords["oneOf"] {
            let matches = options.filter { errors(instance, $0, path).isEmpty }.count
            if matches != 1 { found.append("\(path): matches \(matches) of oneOf, not exactly one") }
        }
        if let type = keywords["type"] {
            let allowed: [String] = switch type {
            case let .string(name): [name]
            case let .array(names): names.compactMap(\.string)
            default: []
            }
            if !allowed.contains(where: { JSONSchemaValidator.has(instance, type: $0) }) {
                found.append("\(path): not of type \(allowed.joined(separator: "|"))")
            }
        }
        if let constant = keywords["const"], !JSONSchemaValidator.same(constant, instance) {
            found.append("\(path): not the constant \(constant)")
        }
        if case let .array(choices)? = keywords["enum"], !choices.contains(where: { JSONSchemaValidator.same($0, instance) }) {
            found.append("\(path): not one of the enum values")
        }
        if case let .object(members) = instance {
            if case let .array(required)? = keywords["required"] {
                for name in required.compactMap(\.string) where members[name] == nil {
                    found.append("\(path): missing \(name)")
                }
            }
            let properties: [String: JSONDocument]
            if case let .object(declared)? = keywords["properties"] { properties = declared } else { properties = [:] }
            for (name, value) in members {
                if let property = properties[name] {
                    found += errors(value, property, "\(path).\(name)")
                } else if keywords["additionalProperties"] == .bool(false) {
                    found.append("\(path): unexpected member \(name)")
                }
            }
        }
        if case let .array(items) = instance, let itemSchema = keywords["items"] {
            for (index, item) in items.enumerated() { found += errors(item, itemSchema, "\(path)[\(index)]") }
        }
        if let minimum = keywords["minimum"].flatMap(JSONSchemaValidator.number),
           let value = JSONSchemaValidator.number(instance), value < minimum {
            found.append("\(path): below the minimum \(minimum)")
        }
        if let pattern = keywords["pattern"]?.string, let text = instance.string,
           text.range(of: pattern, options: .regularExpression) == nil {
            found.append("\(path): does not match \(pattern)")
        }
        return found
    }

    private static func has(_ instance: JSONDocument, type: String) -> Bool {
        switch (type, instance) {
        case ("null", .null), ("boolean", .bool), ("integer", .int), ("number", .int), ("number", .double),
             ("string", .string), ("array", .array), ("object", .object): return true
        default: return false
        }
    }

    private static func number(_ value: JSONDocument) -> Double? {
        switch value {
        case let .int(number): return Double(number)
        case let .double(number): return number
        default: return nil
        }
    }

    private static func same(_ a: JSONDocument, _ b: JSONDocument) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        return a == b
    }
}
