extension String {
    /// `n` in decimal (or another radix, lowercase) with leading zeros up to `width` digits, e.g.
    /// `String(zeroPadded: 7, width: 3)` is "007".
    /// (String(format:) goes through Foundation's variadic formatting and showed up in every profile.)
    public init(zeroPadded n: Int, width: Int, radix: Int = 10) {
        let digits = String(n.magnitude, radix: radix)
        let sign = n < 0 ? "-" : ""
        self = digits.count >= width ? sign + digits : sign + String(repeating: "0", count: width - digits.count) + digits
    }
}
