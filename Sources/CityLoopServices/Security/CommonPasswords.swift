/// The most common passwords of leaked password lists, Western and Chinese (弱口令), lowercased. A password is
/// refused when its lowercase form is one of them.
enum CommonPasswords {
    static let list: Set<String> = Set(
        """
        123456 123456789 12345678 1234567890 12345 1234567 123123 111111 000000 654321 666666 888888 112233 121212
        123321 123654 147258 147258369 159357 159753 987654321 9876543210 0123456789 1234554321 1122334455 1111111111
        0000000000 5201314 1314520 1314521 5211314 521521 520520 7758521 7758258 woaini woaini1314 woaini520 woaini123
        woaini1314520 iloveyou iloveyou1 iloveyou123 iloveyou1314 qq123456 qq123456789 qq1234567 qq5201314 qwe123456
        qwe123qwe qweasdzxc qweasd123 qazwsx qazwsxedc qazwsx123 1qaz2wsx 1qaz2wsx3edc 1qazxsw2 1q2w3e4r 1q2w3e4r5t
        1q2w3e4r5t6y 1q2w3e 1qaz@wsx 1qaz!qaz zaq12wsx zxcvbnm zxcvbnm123 zxcvbn asdfghjkl asdfgh asdf1234 asd123456
        aa123456 aa123456789 a123456 a123456789 a1234567 a12345678 a1b2c3d4 a1b2c3d4e5 abc123 abc123456 abc12345
        abcd1234 abcd123456 abcdef abcdefg abcdefgh abc123abc 123456a 123456789a 12345678a 1234567a 123456aa 123abc
        123qwe 123qweasd 123qweasdzxc 123456qq 123456abc 123456789abc password password1 password123 password12
        password1234 passw0rd p@ssw0rd p@ssword p@55w0rd pass1234 pass123456 passpass passwd password! password01
        admin admin123 admin1234 admin12345 admin123456 admin888 admin@123 administrator root root123 root1234
        toor test test123 test1234 test12345 test123456 testtest guest guest123 user user123 user1234 demo demo1234
        demo123456 welcome welcome1 welcome123 welcome2024 welcome2025 welcome2026 changeme changeme123 letmein
        letmein123 trustno1 qwerty qwerty1 qwerty12 qwerty123 qwerty1234 qwertyuiop qwertyuiop123 qwertyui qwert12345
        monkey monkey123 dragon dragon123 master master123 shadow shadow123 sunshine sunshine1 princess princess1
        football football1 baseball superman superman123 batman batman123 michael jennifer jessica charlie
        charlie123 daniel hunter hunter2 freedom whatever starwars computer internet secret secret123 killer
        mustang access access123 flower hello hello123 hello1234 helloworld hello12345 love love123 lovely
        loveyou loveme iloveu cheng123 wang123456 zhang123456 li123456 liu123456 chen123456 woshishui woaiwojia
        aini1314 aini520 wodemima mima123 mima123456 mimamima zhongguo china123 china1234 china12345 beijing
        shanghai beijing123 huawei123 xiaomi123 baidu123 taobao123 weixin123 wechat123 qingdao guangzhou shenzhen
        11223344 12344321 12341234 123412345 13579 135792468 1357924680 24680 2468013579 987654 7654321 87654321
        11111111 22222222 33333333 44444444 55555555 66666666 77777777 88888888 99999999 00000000 12121212
        11112222 11110000 111222333 123123123 123123123123 321321321 456456456 789789789 147147147 258258258
        369369369 100200 1234qwer 1234qwerasdf qwer1234 asdf123456 zxc123456 zxcv1234 zxcvbnm1 abcde12345
        a11111111 aaaaaaaa aaaaaaaaaa aaaaaa 1a2b3c4d 1a2b3c4d5e q1w2e3r4 q1w2e3r4t5 q1w2e3r4t5y6 1234abcd
        12345abcde 12345qwert 5201314520 1314520520 woaini5201314 woainima woaiwoma woaini1234 123456789q
        123456789z qaz123456 wsx123456 123456qaz 123456789qq qq111111 qq666666 qq888888 sb123456 a5201314
        1234567890a 0987654321 asdasdasd qweqweqwe zxczxczxc 12qwaszx 1qazzaq1 zaq1xsw2 zaq1zaq1 1qaz1qaz
        cityloop cityloop123 chengguan chengguan123 zhihuichengguan 12345678910 1234567891 123456789123
        iloveyou520 520131400 5201314000 woaini520520 caonima123 fuckyou fuckyou123 nihao123 nihao123456
        """.split(whereSeparator: \.isWhitespace).map(String.init))
}
