import Foundation

// Hand-written JSON for the records written in bulk and on the intake path (see `JSONTextWritable`); keys in
// sorted order.

extension CaseRecord: JSONTextWritable {
    /// Writes the record as `JSONEncoder` would with sorted keys.
    public func write(to json: inout JSONText) {
        json.object { j in
            j.field("address", address)
            j.field("assistingDepartmentIDs", assistingDepartmentIDs)
            j.field("clientRequestID", clientRequestID)
            j.field("closedAt", closedAt)
            j.field("componentID", componentID)
            j.field("createdAt", createdAt)
            j.field("description", description)
            j.field("duplicateOf", duplicateOf)
            j.field("eventCount", eventCount)
            j.field("evidence", evidence)
            j.field("extensionCount", extensionCount)
            j.field("filedAt", filedAt)
            j.field("handlingDueAt", handlingDueAt)
            j.field("handlingLimitMinutes", handlingLimitMinutes)
            j.field("id", id)
            j.field("lastEventHash", lastEventHash)
            j.field("leadDepartmentID", leadDepartmentID)
            j.field("matterCode", matterCode)
            j.field("noOwner", noOwner)
            j.field("number", number)
            j.field("pendingExtensionHours", pendingExtensionHours)
            j.field("placement", placement)
            j.field("point", point)
            j.field("recurrenceOf", recurrenceOf)
            j.field("reporters", reporters)
            j.field("resumeState", resumeState)
            j.field("returnedByDepartmentID", returnedByDepartmentID)
            j.field("reworkCount", reworkCount)
            j.field("satisfaction", satisfaction)
            j.field("source", source)
            j.field("state", state)
            j.field("stepDueAt", stepDueAt)
            j.field("supervised", supervised)
            j.field("suspendedAt", suspendedAt)
            j.field("updatedAt", updatedAt)
            j.field("urgeCount", urgeCount)
            j.field("urgency", urgency)
            j.field("version", version)
        }
    }
}

extension Reporter: JSONTextWritable {
    /// Writes the reporter as `JSONEncoder` would with sorted keys.
    public func write(to json: inout JSONText) {
        json.object { j in
            j.field("callbackURL", callbackURL)
            j.field("caseID", caseID)
            j.field("email", email)
            j.field("name", name)
            j.field("phone", phone)
            j.field("source", source)
            j.field("ticket", ticket)
            j.field("ticketDueAt", ticketDueAt)
            j.field("userID", userID)
        }
    }
}

extension Placement: JSONTextWritable {
    /// Writes the placement as `JSONEncoder` would with sorted keys.
    public func write(to json: inout JSONText) {
        json.object { j in
            j.field("communityCode", communityCode)
            j.field("districtCode", districtCode)
            j.field("gridCode", gridCode)
            j.field("streetCode", streetCode)
        }
    }
}

extension GeoPoint: JSONTextWritable {
    /// Writes the point as `JSONEncoder` would.
    public func write(to json: inout JSONText) {
        json.object { j in
            j.field("lat", lat)
            j.field("lon", lon)
        }
    }
}

extension DuplicateCandidate: JSONTextWritable {
    /// Writes the candidate as `JSONEncoder` would with sorted keys.
    public func write(to json: inout JSONText) {
        json.object { j in
            j.field("caseID", caseID)
            j.field("distanceMetres", distanceMetres)
            j.field("number", number)
            j.field("state", state)
        }
    }
}

extension Component: JSONTextWritable {
    /// Writes the component as `JSONEncoder` would with sorted keys.
    public func write(to json: inout JSONText) {
        json.object { j in
            j.field("changedAt", changedAt)
            j.field("classCode", classCode)
            j.field("gridCode", gridCode)
            j.field("id", id)
            j.field("maintainerDepartmentID", maintainerDepartmentID)
            j.field("name", name)
            j.field("ownerDepartmentID", ownerDepartmentID)
            j.field("point", point)
            j.field("remark", remark)
            j.field("state", state)
            j.field("surveyedAt", surveyedAt)
        }
    }
}
