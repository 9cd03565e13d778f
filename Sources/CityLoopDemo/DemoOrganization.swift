import CityLoopDomain
import Foundation

/// The demo city's departments, responsibility list and accounts.
public enum DemoOrganization {
    /// City-wide departments.
    public static let departments: [Department] = [
        Department(id: "sanitation", name: "市环境卫生管理处", nameEn: "Sanitation Office"),
        Department(id: "municipal", name: "市市政工程管理处", nameEn: "Municipal Engineering Office"),
        Department(id: "landscaping", name: "市园林局", nameEn: "Landscaping Bureau"),
        Department(id: "traffic", name: "市交通运输局", nameEn: "Transport Bureau"),
        Department(id: "enforcement", name: "市城市管理综合执法支队", nameEn: "City Management Enforcement"),
        Department(id: "water", name: "市供水公司", nameEn: "Water Supply Company"),
        Department(id: "power", name: "市供电公司", nameEn: "Power Supply Company"),
        Department(id: "telecom", name: "市通信管线办公室", nameEn: "Telecom Lines Office"),
        Department(id: "gas", name: "市燃气公司", nameEn: "Gas Company"),
        Department(id: "haulage-hengtong", name: "恒通渣土清运有限公司", nameEn: "Hengtong Muck Haulage Co.", contractor: true),
        Department(id: "haulage-jiejing", name: "洁净环卫清运有限公司", nameEn: "Jiejing Sanitation Haulage Co.", contractor: true),
    ]

    /// A street office's department (属地, territorial owner).
    public static func streetOffice(_ street: Area) -> Department {
        Department(id: DepartmentID("street-\(street.code)"), name: street.name + "办事处", nameEn: "Street office \(street.code)",
                   areaCode: street.code, territorial: true)
    }

    /// The responsibility list: by major class, with specific classes overriding, street order to the street
    /// offices, and each street office as the territorial fallback (属地兜底) for anything else.
    public static func rules(streets: [Area]) -> [ResponsibilityRule] {
        func r(_ id: String, _ matter: String, _ dept: String, _ limit: TimeLimit, area: String? = nil) -> ResponsibilityRule {
            ResponsibilityRule(id: id, matter: matter, areaCode: area, departmentID: DepartmentID(dept), limits: [.normal: limit])
        }
        var out = [
            r("utilities", "01", "municipal", .days(2)), r("water-cover", "01001", "water", .hours(8)),
            r("sewage-cover", "01002", "municipal", .hours(8)), r("power-cover", "01005", "power", .hours(8)),
            r("telecom-cover", "01007", "telecom", .days(1)), r("gas-cover", "01011", "gas", .hours(4)),
            r("traffic", "02", "traffic", .days(2)), r("sanitation-facilities", "03", "sanitation", .days(1)),
            r("landscaping", "04", "landscaping", .days(5)), r("other-components", "05", "municipal", .days(3)),
            r("appearance", "06", "sanitation", .days(1)), r("illegal-building", "06001", "enforcement", .days(7)),
            r("exposed-garbage", "06010", "sanitation", .hours(4)), r("stored-garbage", "06011", "sanitation", .hours(4)),
            r("road-cleaning", "06012", "sanitation", .hours(2)), r("road-damage", "06013", "municipal", .days(2)),
            // Haulage contractors: spilled loads on the road and muck trucks without covers.
            r("road-spillage", "06014", "haulage-jiejing", .hours(4)), r("muck-trucks", "08011", "haulage-hengtong", .days(1)),
            r("ads", "07", "enforcement", .days(2)), r("construction", "08", "enforcement", .days(2)),
            r("road-digging", "08003", "enforcement", .days(2)), r("other-matters", "10", "municipal", .hours(4)),
        ]
        for s in streets {
            out.append(r("street-order-\(s.code)", "09", "street-\(s.code)", .hours(4), area: s.code))
            out.append(r("territorial-\(s.code)", "*", "street-\(s.code)", .days(3), area: s.code))
        }
        return out
    }

    /// One account per role named after it, plus an inspector per street.
    public static func users(streets: [Area], districts: [Area]) -> [User] {
        var out: [User] = [
            User(id: "u-inspector", username: "inspector", displayName: "监督员 王强", role: .inspector,
                 gridScopes: districts.first.map { [$0.code] } ?? [], phone: "13800000001"),
            User(id: "u-operator", username: "operator", displayName: "受理员 李娜", role: .operator),
            User(id: "u-shiftlead", username: "shiftlead", displayName: "值班长 张伟", role: .shiftLead),
            User(id: "u-dispatcher", username: "dispatcher", displayName: "派遣员 刘洋", role: .dispatcher),
            User(id: "u-handler", username: "handler", displayName: "环卫处 陈静", role: .handler, departmentID: "sanitation"),
            User(id: "u-leader", username: "leader", displayName: "领导 赵敏", role: .leader),
            User(id: "u-admin", username: "admin", displayName: "管理员 孙磊", role: .admin),
            User(id: "u-citizen", username: "citizen", displayName: "市民 周杰", role: .citizen, phone: "13912345678"),
            User(id: "u-partner", username: "partner", displayName: "12345 热线平台", role: .partner),
        ]
        for d in departments where d.id != "sanitation" {
            out.append(User(id: UserID("u-handler-\(d.id)"), username: "handler-\(d.id)", displayName: d.name, role: .handler, departmentID: d.id))
        }
        for s in streets {
            out.append(User(id: UserID("u-inspector-\(s.code)"), username: "inspector-\(s.code)", displayName: "\(s.name)监督员",
                            role: .inspector, gridScopes: [s.code]))
            out.append(User(id: UserID("u-handler-street-\(s.code)"), username: "handler-street-\(s.code)", displayName: "\(s.name)办事处",
                            role: .handler, departmentID: DepartmentID("street-\(s.code)")))
        }
        return out
    }
}
