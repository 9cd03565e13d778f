import Foundation

extension EvaluationReport {
    /// The ranking as a plain table (rank, name, score, grade, change, then each indicator as numerator,
    /// denominator and value): what the CSV and spreadsheet exports and the printed report show.
    public func table(english: Bool = false) -> (header: [String], rows: [[String]]) {
        func name(_ i: Indicator) -> String { english ? i.englishName : i.chineseName }
        var header = english ? ["rank", "name", "code", "score", "grade", "change"] : ["排名", "名称", "编码", "得分", "等级", "较上期"]
        for i in indicators {
            if i.isRate {
                let (n, d) = english ? ("numerator", "denominator") : ("分子", "分母")
                header += ["\(name(i)) \(n)", "\(name(i)) \(d)", "\(name(i)) %"]
            } else {
                header.append(name(i))
            }
        }
        let rows = self.rows.map { r -> [String] in
            var line = [
                r.rank.map(String.init) ?? "", english ? r.info.nameEn : r.info.name, r.info.subject.id, r.score.map(Self.number) ?? "",
                r.grade ?? "", r.change.map(Self.signed) ?? "",
            ]
            for i in indicators {
                let v = r.indicators[i.id] ?? IndicatorValue(numerator: 0, denominator: 0, value: nil)
                if i.isRate {
                    line += [String(v.numerator), String(v.denominator), v.value.map(Self.number) ?? ""]
                } else {
                    line.append(String(v.numerator))
                }
            }
            return line
        }
        return (header, rows)
    }

    /// A figure with at most two decimals and no trailing zeros (88, 87.5, 66.67).
    public static func number(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(format: "%.2f", r).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression)
    }

    /// A change with its sign (+2.5, −1, 0).
    public static func signed(_ x: Double) -> String { x > 0 ? "+" + number(x) : number(x) }

    /// The table as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read the Chinese).
    public func csv(english: Bool = false) -> String {
        let t = table(english: english)
        return "\u{FEFF}" + ([t.header] + t.rows).map { $0.map(CSVReader.quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
