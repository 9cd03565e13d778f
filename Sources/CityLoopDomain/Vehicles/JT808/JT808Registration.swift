/// Body of a terminal registration (终端注册, 0x0100).
///
/// Fixed-width fields are right-padded with 0x00 on the wire (位数不足时后补 0x00); decoding strips that padding.
public struct JT808Registration: Sendable, Equatable, Hashable {
    /// Province ID (省域 ID), GB/T 2260 code.
    public var provinceID: UInt16
    /// City or county ID (市县域 ID), GB/T 2260 code.
    public var cityID: UInt16
    /// Manufacturer ID (制造商 ID): BYTE[5] in 2013, BYTE[11] in 2019.
    public var manufacturerID: JT808String
    /// Terminal model (终端型号): BYTE[20] in 2013, BYTE[30] in 2019.
    public var terminalModel: JT808String
    /// Terminal ID (终端 ID): BYTE[7] in 2013, BYTE[30] in 2019.
    public var terminalID: JT808String
    /// Licence plate colour (车牌颜色, JT/T 415); 0 means the vehicle is not registered and `plate` holds the VIN.
    public var plateColor: UInt8
    /// Vehicle identification (车辆标识): the plate number, or the VIN when `plateColor` is 0; GBK STRING.
    public var plate: JT808String

    /// Creates a registration body.
    public init(
        provinceID: UInt16, cityID: UInt16, manufacturerID: JT808String, terminalModel: JT808String,
        terminalID: JT808String, plateColor: UInt8, plate: JT808String
    ) {
        self.provinceID = provinceID
        self.cityID = cityID
        self.manufacturerID = manufacturerID
        self.terminalModel = terminalModel
        self.terminalID = terminalID
        self.plateColor = plateColor
        self.plate = plate
    }

    private static func widths(_ version: JT808Version) -> (manufacturer: Int, model: Int, terminal: Int) {
        version == .v2013 ? (5, 20, 7) : (11, 30, 30)
    }

    /// Decodes the body; the plate takes all remaining bytes.
    static func decode(_ reader: inout JT808ByteReader, version: JT808Version) throws(JT808Error) -> JT808Registration {
        let widths = widths(version)
        let province = try reader.readUInt16("provinceID")
        let city = try reader.readUInt16("cityID")
        let manufacturer = try reader.readPaddedString(widths.manufacturer, "manufacturerID")
        let model = try reader.readPaddedString(widths.model, "terminalModel")
        let terminal = try reader.readPaddedString(widths.terminal, "terminalID")
        let color = try reader.readUInt8("plateColor")
        let plate = JT808String(bytes: reader.readRemaining())
        return JT808Registration(
            provinceID: province, cityID: city, manufacturerID: manufacturer, terminalModel: model,
            terminalID: terminal, plateColor: color, plate: plate)
    }

    /// Encodes the body; throws `.fieldTooLong` when a fixed-width field does not fit the version's width.
    func encode(into writer: inout JT808ByteWriter, version: JT808Version) throws(JT808Error) {
        let widths = Self.widths(version)
        writer.writeUInt16(provinceID)
        writer.writeUInt16(cityID)
        try writer.writePadded(manufacturerID, width: widths.manufacturer, "manufacturerID")
        try writer.writePadded(terminalModel, width: widths.model, "terminalModel")
        try writer.writePadded(terminalID, width: widths.terminal, "terminalID")
        writer.writeUInt8(plateColor)
        writer.writeBytes(plate.bytes)
    }
}
