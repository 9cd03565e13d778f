/// Message IDs (消息 ID) handled by this codec.
public enum JT808MessageID: Sendable, Equatable {
    /// Terminal general reply (终端通用应答).
    public static let terminalGeneralReply: UInt16 = 0x0001
    /// Platform general reply (平台通用应答).
    public static let platformGeneralReply: UInt16 = 0x8001
    /// Terminal heartbeat (终端心跳).
    public static let heartbeat: UInt16 = 0x0002
    /// Terminal logout (终端注销).
    public static let terminalLogout: UInt16 = 0x0003
    /// Terminal registration (终端注册).
    public static let registration: UInt16 = 0x0100
    /// Terminal registration reply (终端注册应答).
    public static let registrationReply: UInt16 = 0x8100
    /// Terminal authentication (终端鉴权).
    public static let authentication: UInt16 = 0x0102
    /// Location information report (位置信息汇报).
    public static let locationReport: UInt16 = 0x0200
    /// Batch location upload (定位数据批量上传).
    public static let batchLocationUpload: UInt16 = 0x0704
}
