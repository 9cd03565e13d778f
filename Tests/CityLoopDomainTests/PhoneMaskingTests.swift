import CityLoopDomain
import Testing

/// Phone numbers typed into a description are masked before the public sees them.
@Suite struct PhoneMaskingTests {
    @Test(arguments: [
        ("联系电话13812345678，谢谢", "联系电话138****5678，谢谢"),
        ("call 138 1234 5678 please", "call 138 **** 5678 please"),
        ("138-1234-5678", "138-****-5678"),
        ("座机0371-12345678", "座机037*-****5678"),
        ("座机(0371)12345678", "座机(037*)****5678"),
        ("座机（0371）12345678", "座机（037*）****5678"),
        ("010 87654321", "010 ****4321"),
        ("+86 13812345678", "+86 138****5678"),
        ("+8613812345678", "+86138****5678"),
        ("008613812345678", "0086138****5678"),
        ("+86-371-12345678", "+86-371-****5678"),
    ])
    func phonesAreMaskedKeepingThreeAndFour(_ text: String, _ masked: String) {
        #expect(PhoneMasking.mask(text) == masked)
    }

    @Test func twoNumbersInOneTextAreBothMasked() {
        #expect(PhoneMasking.mask("张先生13912345678或0371-66668888") == "张先生139****5678或037*-****8888")
    }

    @Test(arguments: [
        "路边有暴露垃圾", "案卷 202612050001 已受理", "身份证 410105199001011234", "门牌 12 号", "12345678901",
        "价格 1380 元", "坐标 34.7466,113.6253",
    ])
    func otherTextIsUnchanged(_ text: String) {
        #expect(PhoneMasking.mask(text) == text)
    }
}
