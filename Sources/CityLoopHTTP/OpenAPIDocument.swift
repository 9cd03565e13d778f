import Foundation
import Hummingbird

/// Builds the OpenAPI 3.1 description from the operations the router registered.
public enum OpenAPIDocument {
    /// The document as JSON bytes.
    public static func make(_ operations: [APIOperation]) -> Data {
        var paths: [String: [String: Any]] = [:]
        for op in operations {
            var parameters: [[String: Any]] = op.path.split(separator: "/").filter { $0.hasPrefix(":") }.map {
                ["name": String($0.dropFirst()), "in": "path", "required": true, "schema": ["type": "string"]]
            }
            parameters += op.query.map { ["name": $0, "in": "query", "required": false, "schema": queryTypes[$0] ?? ["type": "string"]] }
            // Open311 answers in its own format: JSON or XML by the path's suffix, errors as a list of code and description.
            let isOpen311 = op.tag == "open311"
            let types: [String] =
                !isOpen311 ? ["application/json"]
                : op.path.hasSuffix(".xml") ? ["text/xml"]
                : op.path.hasSuffix(".json") || !op.path.contains(":") ? ["application/json"] : ["application/json", "text/xml"]
            let errorSchema = isOpen311 ? "Open311Errors" : "Error"
            let errorRef: [String: Any] = [
                "content": Dictionary(uniqueKeysWithValues: types.map { ($0, ["schema": ["$ref": "#/components/schemas/\(errorSchema)"]]) })
            ]
            var responses: [String: Any] = ["200": ["description": "OK"]]
            if isOpen311 { responses["200"] = ["description": "OK", "content": Dictionary(uniqueKeysWithValues: types.map { ($0, [String: Any]()) })] }
            if op.created || (isOpen311 && op.method == .post) { responses["201"] = responses["200"].map { r in
                var c = r as? [String: Any] ?? [:]
                c["description"] = "Created"
                return c
            } }
            for (code, text) in [
                ("400", "Bad request"), ("401", "Not signed in"), ("403", "Not allowed"), ("404", "Not found"), ("409", "Wrong state or conflict"),
                ("413", "Body too large"), ("415", "Unsupported body type"), ("422", "Invalid input; error.field names the field"),
                ("429", "Too many requests; Retry-After says when to try again"),
                ("503", "The database cannot be reached or this node is not ready; try again"),
            ] {
                responses[code] = errorRef.merging(["description": text]) { a, _ in a }
            }
            var operation: [String: Any] = [
                "summary": op.summary, "tags": [op.tag], "operationId": operationID(op),
                "description": "Access: \(op.access).", "responses": responses,
            ]
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let body = op.body {
                let schema: [String: Any] = schemas[body] != nil ? ["$ref": "#/components/schemas/\(body)"] : ["type": "object", "description": body]
                // Open311 posts forms, and cameras post their detections with a snapshot as multipart, not JSON.
                let types =
                    body.hasPrefix("Open311")
                    ? ["application/x-www-form-urlencoded", "multipart/form-data"] : body.hasPrefix("Multipart") ? ["multipart/form-data"] : ["application/json"]
                operation["requestBody"] = ["required": true, "content": Dictionary(uniqueKeysWithValues: types.map { ($0, ["schema": schema]) })]
            }
            if !op.access.hasPrefix("public") { operation["security"] = [["bearer": [String]()]] }
            paths[op.openAPIPath, default: [:]][op.method.rawValue.lowercased()] = operation
        }
        let doc: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "CityLoop API", "version": "1.0.0",
                "description": "Smart urban management (智慧城管): report, file, dispatch, handle, check and close city problems.",
            ],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": schemas,
            ],
        ]
        return (try? JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .prettyPrinted])) ?? Data()
    }

    /// The types of query parameters that are not free text, as the handlers parse them (anything else: 422).
    static let queryTypes: [String: [String: String]] = [
        "limit": ["type": "integer"], "offset": ["type": "integer"], "days": ["type": "integer"], "page": ["type": "integer"],
        "page_size": ["type": "integer"], "lat": ["type": "number"], "lon": ["type": "number"], "cell": ["type": "number"],
        "start_date": ["type": "string", "format": "date-time"], "end_date": ["type": "string", "format": "date-time"],
    ]

    static func operationID(_ op: APIOperation) -> String {
        let words = op.path.split(separator: "/").filter { $0 != "api" && $0 != "v1" }.map { $0.hasPrefix(":") ? "by" + $0.dropFirst() : String($0) }
        return op.method.rawValue.lowercased() + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            .replacingOccurrences(of: ".", with: "").replacingOccurrences(of: "-", with: "")
    }

    static var schemas: [String: Any] { [
        "Open311Errors": [
            "type": "array",
            "items": ["type": "object", "required": ["code", "description"], "properties": ["code": ["type": "integer"], "description": ["type": "string"]]],
        ],
        "Error": [
            "type": "object", "required": ["error"],
            "properties": ["error": ["type": "object", "required": ["code", "message"], "properties": [
                "code": ["type": "string"], "message": ["type": "string"], "field": ["type": "string"],
            ]]],
        ],
        "LoginInput": ["type": "object", "required": ["username", "password"], "properties": [
            "username": ["type": "string"], "password": ["type": "string"],
        ]],
        "ReportInput": ["type": "object", "required": ["matterCode", "description", "lat", "lon"], "properties": [
            "clientRequestID": ["type": "string"], "matterCode": ["type": "string", "pattern": "^[0-9]{5}$"],
            "description": ["type": "string", "maxLength": 2000], "lat": ["type": "number"], "lon": ["type": "number"],
            "address": ["type": "string"], "urgency": ["enum": ["normal", "urgent", "emergency"]],
            "componentID": ["type": "string"], "evidence": ["type": "array", "items": ["type": "string"]],
            "reporterName": ["type": "string"], "reporterPhone": ["type": "string"], "reporterEmail": ["type": "string"],
            "ticket": ["type": "string"], "ticketDueAt": ["type": "string", "format": "date-time"], "callbackURL": ["type": "string"],
            "source": ["enum": ["inspector", "citizen", "hotline", "partner", "sensor", "video", "operator"]],
            "selfHandled": ["type": "boolean"], "crs": ["type": "string", "description": "wgs84 (default), cgcs2000, gcj02 or bd09; converted to WGS84"],
        ]],
        "HotlineOrder": ["type": "object", "required": ["ticketNumber", "description"], "properties": [
            "ticketNumber": ["type": "string", "maxLength": 64], "category": ["type": "string"], "matterCode": ["type": "string"],
            "description": ["type": "string"], "address": ["type": "string"], "lat": ["type": "number"], "lon": ["type": "number"], "crs": ["type": "string", "description": "wgs84 (default), cgcs2000, gcj02 or bd09; converted to WGS84"],
            "callerName": ["type": "string"], "callerPhone": ["type": "string"], "deadline": ["type": "string", "format": "date-time"],
            "urgency": ["enum": ["normal", "urgent", "emergency"]], "callbackURL": ["type": "string", "format": "uri"],
        ]],
        "PlaceInput": ["type": "object", "required": ["lat", "lon"], "properties": ["lat": ["type": "number"], "lon": ["type": "number"], "crs": ["type": "string", "description": "wgs84 (default), cgcs2000, gcj02 or bd09; converted to WGS84"]]],
        "Open311Request": ["type": "object", "required": ["service_code"], "properties": [
            "service_code": ["type": "string"], "lat": ["type": "number"], "long": ["type": "number"],
            "address_string": ["type": "string"], "description": ["type": "string"], "email": ["type": "string"],
            "first_name": ["type": "string"], "last_name": ["type": "string"], "phone": ["type": "string"],
            "media_url": ["type": "string"], "media": ["type": "string", "format": "binary"], "api_key": ["type": "string"],
            "jurisdiction_id": ["type": "string"], "attribute[component_id]": ["type": "string"],
            "attribute[urgency]": ["enum": ["normal", "urgent", "emergency"]],
        ]],
        "ActionInput": ["type": "object", "properties": [
            "comment": ["type": "string"], "evidence": ["type": "array", "items": ["type": "string"]],
            "departmentID": ["type": "string"], "assistingDepartmentIDs": ["type": "array", "items": ["type": "string"]],
            "extensionHours": ["type": "integer"], "targetCaseID": ["type": "string"],
            "satisfaction": ["enum": ["satisfied", "basically_satisfied", "dissatisfied"]],
        ]],
        "UserInput": ["type": "object", "required": ["username", "displayName", "role"], "properties": [
            "username": ["type": "string"], "displayName": ["type": "string"],
            "role": ["enum": ["citizen", "inspector", "operator", "shiftlead", "dispatcher", "handler", "leader", "admin", "partner"]],
            "departmentID": ["type": "string"], "gridScopes": ["type": "array", "items": ["type": "string"]],
            "phone": ["type": "string"], "password": ["type": "string", "minLength": 8], "active": ["type": "boolean"],
        ]],
        "DeviceInput": ["type": "object", "required": ["id", "profile", "lat", "lon"], "properties": [
            "id": ["type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,64}$"], "profile": ["type": "string"], "model": ["type": "string"],
            "lat": ["type": "number"], "lon": ["type": "number"], "crs": ["type": "string"], "componentID": ["type": "string"],
            "departmentID": ["type": "string"], "reportingIntervalSeconds": ["type": "integer", "minimum": 10, "maximum": 604800],
            "attributes": ["type": "object", "additionalProperties": ["type": "number"]],
            "rules": ["type": "array", "items": ["type": "object"]],
        ]],
        "AlarmPolicies": ["type": "array", "items": ["type": "object", "required": ["alarmType", "action", "matterCode", "urgency"], "properties": [
            "alarmType": ["type": "string"], "action": ["enum": ["file_case", "verify_first", "show_only"]],
            "matterCode": ["type": "string"], "urgency": ["enum": ["normal", "urgent", "emergency"]], "checkByDevice": ["type": "boolean"],
        ]]],
        "AlarmRules": ["type": "array", "maxItems": 64, "items": ["type": "object", "required": ["type", "labelZh", "labelEn", "measurement", "severity", "condition"],
            "properties": [
                "type": ["type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_]{0,47}$"], "labelZh": ["type": "string", "maxLength": 40],
                "labelEn": ["type": "string", "maxLength": 40], "measurement": ["type": "string"],
                "severity": ["enum": ["critical", "major", "minor", "warning"]],
                "condition": ["type": "object", "minProperties": 1, "maxProperties": 1, "description":
                    "one of {above|below: {raise, clear}}, {sustained: {above, seconds}}, {repeated: {above, times, seconds}}, {rate: {perMinute}}, "
                    + "{state: [names]}; a level is a number or {attribute: name}"],
            ]]],
        "ReadingsInput": ["type": "object", "required": ["readings"], "properties": [
            "readings": ["type": "array", "maxItems": 5000, "items": ["type": "object", "required": ["at", "measurements"], "properties": [
                "device": ["type": "string"], "at": ["description": "ISO 8601 time or milliseconds since 1970"],
                "measurements": ["type": "object", "additionalProperties": ["type": ["number", "string"]]],
                "units": ["type": "object", "additionalProperties": ["type": "string"]],
            ]]],
        ]],
        "TokenInput": ["type": "object", "required": ["username"], "properties": [
            "username": ["type": "string"], "label": ["type": "string"], "ratePerMinute": ["type": "integer", "minimum": 1],
        ]],
    ] }
}
