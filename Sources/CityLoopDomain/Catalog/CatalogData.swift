import Foundation

/// The GB/T 47678.5 catalog as shipped (`code,kind,major_class,major_class_en,name,name_en`), built in so no file is needed at run time.
enum CatalogData {
    /// The CSV text of the national catalog.
    static let csv = """
code,kind,major_class,major_class_en,name,name_en
01001,component,市政公用设施,Municipal utilities,供水井盖,Water supply manhole cover
01002,component,市政公用设施,Municipal utilities,污水井盖,Sewage manhole cover
01003,component,市政公用设施,Municipal utilities,雨水井盖,Storm drain manhole cover
01004,component,市政公用设施,Municipal utilities,雨水箅子,Storm drain grate
01005,component,市政公用设施,Municipal utilities,电力井盖,Power manhole cover
01006,component,市政公用设施,Municipal utilities,路灯井盖,Street light manhole cover
01007,component,市政公用设施,Municipal utilities,通信井盖,Telecom manhole cover
01008,component,市政公用设施,Municipal utilities,电视井盖,Cable TV manhole cover
01009,component,市政公用设施,Municipal utilities,网络井盖,Network manhole cover
01010,component,市政公用设施,Municipal utilities,热力井盖,Heating manhole cover
01011,component,市政公用设施,Municipal utilities,燃气井盖,Gas manhole cover
01012,component,市政公用设施,Municipal utilities,公安井盖,Police manhole cover
01013,component,市政公用设施,Municipal utilities,消防设施,Fire-fighting facility
01014,component,市政公用设施,Municipal utilities,园林井盖,Landscaping manhole cover
01015,component,市政公用设施,Municipal utilities,信号灯电源井盖,Traffic signal power manhole cover
01017,component,市政公用设施,Municipal utilities,电缆井盖,Cable manhole cover
01018,component,市政公用设施,Municipal utilities,化粪池井盖,Septic tank manhole cover
01019,component,市政公用设施,Municipal utilities,中水井盖,Reclaimed water manhole cover
01020,component,市政公用设施,Municipal utilities,公交井盖,Public transit manhole cover
01021,component,市政公用设施,Municipal utilities,输油（气）井盖,Oil (gas) pipeline manhole cover
01022,component,市政公用设施,Municipal utilities,特殊井盖,Special-purpose manhole cover
01023,component,市政公用设施,Municipal utilities,不明井盖,Unidentified manhole cover
01024,component,市政公用设施,Municipal utilities,水井,Water well
01025,component,市政公用设施,Municipal utilities,供水器,Water supply fixture
01026,component,市政公用设施,Municipal utilities,沟槽盖板,Trench cover plate
01027,component,市政公用设施,Municipal utilities,通信交接箱,Telecom cross-connect cabinet
01028,component,市政公用设施,Municipal utilities,电力设施,Power facility
01029,component,市政公用设施,Municipal utilities,电力设施标识牌,Power facility sign
01030,component,市政公用设施,Municipal utilities,电力立杆,Power pole
01031,component,市政公用设施,Municipal utilities,通信立杆,Telecom pole
01032,component,市政公用设施,Municipal utilities,公交立杆,Public transit pole
01033,component,市政公用设施,Municipal utilities,特殊立杆,Special-purpose pole
01034,component,市政公用设施,Municipal utilities,不明立杆,Unidentified pole
01035,component,市政公用设施,Municipal utilities,旗杆,Flagpole
01036,component,市政公用设施,Municipal utilities,输油（气）标志,Oil (gas) pipeline marker
01037,component,市政公用设施,Municipal utilities,路灯,Street light
01038,component,市政公用设施,Municipal utilities,地灯,Ground light
01039,component,市政公用设施,Municipal utilities,景观灯,Decorative landscape light
01040,component,市政公用设施,Municipal utilities,报刊亭,Newsstand
01041,component,市政公用设施,Municipal utilities,电话亭,Telephone booth
01042,component,市政公用设施,Municipal utilities,邮筒,Mailbox
01043,component,市政公用设施,Municipal utilities,信息亭,Information kiosk
01044,component,市政公用设施,Municipal utilities,售货亭,Sales kiosk
01045,component,市政公用设施,Municipal utilities,自动售货机,Vending machine
01046,component,市政公用设施,Municipal utilities,户外健身设施,Outdoor fitness equipment
01047,component,市政公用设施,Municipal utilities,高压线铁塔,High-voltage transmission tower
01048,component,市政公用设施,Municipal utilities,变压器（箱）,Transformer (box)
01049,component,市政公用设施,Municipal utilities,燃气调压站（箱）,Gas pressure regulating station (box)
01050,component,市政公用设施,Municipal utilities,监控电子眼设施,Surveillance camera
01051,component,市政公用设施,Municipal utilities,治安岗亭,Police sentry box
01052,component,市政公用设施,Municipal utilities,休息亭,Rest pavilion
01053,component,市政公用设施,Municipal utilities,自助缴费机,Self-service payment machine
01054,component,市政公用设施,Municipal utilities,充电桩,EV charging post
01055,component,市政公用设施,Municipal utilities,防蚊闸,Mosquito barrier gate
01056,component,市政公用设施,Municipal utilities,跨河管道,Pipeline crossing a river
01057,component,市政公用设施,Municipal utilities,露天燃气管道,Exposed gas pipeline
01058,component,市政公用设施,Municipal utilities,晒衣架,Clothes drying rack
01059,component,市政公用设施,Municipal utilities,旧衣物回收箱,Used clothing collection bin
01060,component,市政公用设施,Municipal utilities,路灯配电箱,Street light distribution box
01061,component,市政公用设施,Municipal utilities,露天供热管道,Exposed heating pipeline
01062,component,市政公用设施,Municipal utilities,通信基站,Telecom base station
01063,component,市政公用设施,Municipal utilities,水塔,Water tower
01064,component,市政公用设施,Municipal utilities,牌楼（门楼）,Memorial archway (gateway)
01065,component,市政公用设施,Municipal utilities,管理责任公示牌,Management responsibility notice board
01066,component,市政公用设施,Municipal utilities,紧急报警点SOS,SOS emergency call point
01067,component,市政公用设施,Municipal utilities,防汛监测设施,Flood monitoring facility
01068,component,市政公用设施,Municipal utilities,水鹤,Water crane (hydrant for tankers)
01069,component,市政公用设施,Municipal utilities,水域附属设施,Waterway ancillary facility
01070,component,市政公用设施,Municipal utilities,水域护栏,Waterside railing
01071,component,市政公用设施,Municipal utilities,防汛墙,Flood wall
01072,component,市政公用设施,Municipal utilities,排水泵站,Drainage pumping station
01073,component,市政公用设施,Municipal utilities,雨污水排放口,Storm and sewage outfall
01074,component,市政公用设施,Municipal utilities,综合管廊附属设施,Utility tunnel ancillary facility
01075,component,市政公用设施,Municipal utilities,快递柜,Parcel locker
01076,component,市政公用设施,Municipal utilities,公用电梯,Public elevator
01077,component,市政公用设施,Municipal utilities,综合杆,Multi-function pole
02001,component,交通设施,Traffic facilities,停车场,Parking lot
02002,component,交通设施,Traffic facilities,立体车库,Multi-storey car park
02003,component,交通设施,Traffic facilities,停车计费设备,Parking meter
02004,component,交通设施,Traffic facilities,公交站设施,Bus stop facility
02005,component,交通设施,Traffic facilities,出租车停靠站,Taxi stand
02006,component,交通设施,Traffic facilities,过街天桥,Pedestrian overpass
02007,component,交通设施,Traffic facilities,地下通道,Underpass
02008,component,交通设施,Traffic facilities,立交桥,Interchange bridge
02009,component,交通设施,Traffic facilities,跨河桥,River bridge
02010,component,交通设施,Traffic facilities,交通标志牌及标线,Traffic signs and road markings
02011,component,交通设施,Traffic facilities,限高架标志,Height limit barrier sign
02012,component,交通设施,Traffic facilities,路名牌,Street name sign
02013,component,交通设施,Traffic facilities,地名牌,Place name sign
02014,component,交通设施,Traffic facilities,交通信号灯,Traffic light
02015,component,交通设施,Traffic facilities,交通信号设施,Traffic signal equipment
02016,component,交通设施,Traffic facilities,交通岗亭,Traffic police booth
02017,component,交通设施,Traffic facilities,交通护栏,Traffic railing
02018,component,交通设施,Traffic facilities,防撞桶,Crash barrel
02019,component,交通设施,Traffic facilities,安全岛,Traffic island
02020,component,交通设施,Traffic facilities,人行横道桩,Crosswalk bollard
02021,component,交通设施,Traffic facilities,便道桩,Sidewalk bollard
02022,component,交通设施,Traffic facilities,柔性隔离体,Flexible delineator post
02023,component,交通设施,Traffic facilities,道路信息显示屏,Road information display
02024,component,交通设施,Traffic facilities,道路隔音屏,Road noise barrier
02025,component,交通设施,Traffic facilities,非机动车停放点,Bicycle parking area
02026,component,交通设施,Traffic facilities,自行车租赁点,Bike rental station
02027,component,交通设施,Traffic facilities,存车支架,Bicycle rack
02028,component,交通设施,Traffic facilities,铁道口设施,Railway crossing facility
02029,component,交通设施,Traffic facilities,栈桥,Pier (trestle bridge)
02030,component,交通设施,Traffic facilities,水域标示牌,Waterway sign
02031,component,交通设施,Traffic facilities,港监设施,Harbour supervision facility
02032,component,交通设施,Traffic facilities,轨道交通设施,Rail transit facility
02033,component,交通设施,Traffic facilities,交通反视镜,Traffic convex mirror
02034,component,交通设施,Traffic facilities,无障碍设施,Accessibility facility
02035,component,交通设施,Traffic facilities,应急避难指示牌,Emergency shelter sign
02036,component,交通设施,Traffic facilities,救助站指示牌,Rescue station sign
02037,component,交通设施,Traffic facilities,文物建筑标志牌,Heritage building sign
02038,component,交通设施,Traffic facilities,门（楼号）牌,House (building) number plate
02039,component,交通设施,Traffic facilities,公安指示牌,Police direction sign
02040,component,交通设施,Traffic facilities,景区标识牌,Scenic area sign
02041,component,交通设施,Traffic facilities,停车信息显示屏,Parking information display
02042,component,交通设施,Traffic facilities,铁路桥涵,Railway bridge or culvert
02043,component,交通设施,Traffic facilities,减速带,Speed bump
02044,component,交通设施,Traffic facilities,公路隧道,Road tunnel
03001,component,市容环卫设施,Sanitation and city appearance facilities,公共厕所,Public toilet
03002,component,市容环卫设施,Sanitation and city appearance facilities,公厕指示牌,Public toilet sign
03003,component,市容环卫设施,Sanitation and city appearance facilities,化粪池,Septic tank
03004,component,市容环卫设施,Sanitation and city appearance facilities,垃圾间（楼）,Refuse room (building)
03005,component,市容环卫设施,Sanitation and city appearance facilities,垃圾箱,Litter bin
03006,component,市容环卫设施,Sanitation and city appearance facilities,户外广告,Outdoor advertisement
03007,component,市容环卫设施,Sanitation and city appearance facilities,牌匾标识,Shop sign
03008,component,市容环卫设施,Sanitation and city appearance facilities,宣传栏,Bulletin board
03009,component,市容环卫设施,Sanitation and city appearance facilities,气象监测站,Weather station
03010,component,市容环卫设施,Sanitation and city appearance facilities,环保监测站,Environmental monitoring station
03011,component,市容环卫设施,Sanitation and city appearance facilities,污水口监测站,Sewage outlet monitoring station
03012,component,市容环卫设施,Sanitation and city appearance facilities,污水监测器,Sewage monitor
03013,component,市容环卫设施,Sanitation and city appearance facilities,噪声显示屏,Noise level display
03014,component,市容环卫设施,Sanitation and city appearance facilities,环卫工具间（箱）,Sanitation tool room (box)
03015,component,市容环卫设施,Sanitation and city appearance facilities,宠物拾便纸箱,Pet waste bag dispenser
03016,component,市容环卫设施,Sanitation and city appearance facilities,烟头收集器或灭烟处,Cigarette butt bin or smoking point
04001,component,园林绿化设施,Landscaping facilities,古树名木,Ancient or famous tree
04002,component,园林绿化设施,Landscaping facilities,行道树,Street tree
04003,component,园林绿化设施,Landscaping facilities,独立树,Solitary tree
04004,component,园林绿化设施,Landscaping facilities,护树设施,Tree protection facility
04005,component,园林绿化设施,Landscaping facilities,花架花钵,Flower stand or planter
04006,component,园林绿化设施,Landscaping facilities,雕塑,Sculpture
04007,component,园林绿化设施,Landscaping facilities,街头座椅,Street bench
04008,component,园林绿化设施,Landscaping facilities,绿地护栏,Green space railing
04009,component,园林绿化设施,Landscaping facilities,绿地附属设施,Green space ancillary facility
04010,component,园林绿化设施,Landscaping facilities,喷泉,Fountain
04011,component,园林绿化设施,Landscaping facilities,树池树穴,Tree pit
04012,component,园林绿化设施,Landscaping facilities,高架挂箱,Elevated hanging planter box
04013,component,园林绿化设施,Landscaping facilities,绿地,Green space
04014,component,园林绿化设施,Landscaping facilities,林地及林地管护设施,Woodland and woodland management facility
05002,component,其他管理部件,Other components,公房地下室,Public housing basement
05003,component,其他管理部件,Other components,车辆加油（气、电）站,Vehicle fuelling (gas, charging) station
05009,component,其他管理部件,Other components,文物古迹,Cultural relic or historic site
01001,matter,市政公用设施类,Municipal utilities,供水井盖异常,Water supply manhole cover problem
01002,matter,市政公用设施类,Municipal utilities,污水井盖异常,Sewage manhole cover problem
01003,matter,市政公用设施类,Municipal utilities,雨水井盖异常,Storm drain manhole cover problem
01004,matter,市政公用设施类,Municipal utilities,雨水箅子异常,Storm drain grate problem
01005,matter,市政公用设施类,Municipal utilities,电力井盖异常,Power manhole cover problem
01006,matter,市政公用设施类,Municipal utilities,路灯井盖异常,Street light manhole cover problem
01007,matter,市政公用设施类,Municipal utilities,通信井盖异常,Telecom manhole cover problem
01008,matter,市政公用设施类,Municipal utilities,电视井盖异常,Cable TV manhole cover problem
01009,matter,市政公用设施类,Municipal utilities,网络井盖异常,Network manhole cover problem
01010,matter,市政公用设施类,Municipal utilities,热力井盖异常,Heating manhole cover problem
01011,matter,市政公用设施类,Municipal utilities,燃气井盖异常,Gas manhole cover problem
01012,matter,市政公用设施类,Municipal utilities,公安井盖异常,Police manhole cover problem
01013,matter,市政公用设施类,Municipal utilities,消防设施异常,Fire-fighting facility problem
01014,matter,市政公用设施类,Municipal utilities,园林井盖异常,Landscaping manhole cover problem
01015,matter,市政公用设施类,Municipal utilities,信号灯电源井盖异常,Traffic signal power manhole cover problem
01017,matter,市政公用设施类,Municipal utilities,电缆井盖异常,Cable manhole cover problem
01018,matter,市政公用设施类,Municipal utilities,化粪池井盖异常,Septic tank manhole cover problem
01019,matter,市政公用设施类,Municipal utilities,中水井盖异常,Reclaimed water manhole cover problem
01020,matter,市政公用设施类,Municipal utilities,公交井盖异常,Public transit manhole cover problem
01021,matter,市政公用设施类,Municipal utilities,输油（气）井盖异常,Oil (gas) pipeline manhole cover problem
01022,matter,市政公用设施类,Municipal utilities,特殊井盖异常,Special-purpose manhole cover problem
01023,matter,市政公用设施类,Municipal utilities,不明井盖异常,Unidentified manhole cover problem
01024,matter,市政公用设施类,Municipal utilities,水井异常,Water well problem
01025,matter,市政公用设施类,Municipal utilities,供水器异常,Water supply fixture problem
01026,matter,市政公用设施类,Municipal utilities,沟槽盖板异常,Trench cover plate problem
01027,matter,市政公用设施类,Municipal utilities,通信交接箱异常,Telecom cross-connect cabinet problem
01028,matter,市政公用设施类,Municipal utilities,电力设施异常,Power facility problem
01029,matter,市政公用设施类,Municipal utilities,电力设施标识牌异常,Power facility sign problem
01030,matter,市政公用设施类,Municipal utilities,电力立杆异常,Power pole problem
01031,matter,市政公用设施类,Municipal utilities,通信立杆异常,Telecom pole problem
01032,matter,市政公用设施类,Municipal utilities,公交立杆异常,Public transit pole problem
01033,matter,市政公用设施类,Municipal utilities,特殊立杆异常,Special-purpose pole problem
01034,matter,市政公用设施类,Municipal utilities,不明立杆异常,Unidentified pole problem
01035,matter,市政公用设施类,Municipal utilities,旗杆异常,Flagpole problem
01036,matter,市政公用设施类,Municipal utilities,输油（气）标志异常,Oil (gas) pipeline marker problem
01037,matter,市政公用设施类,Municipal utilities,路灯异常,Street light problem
01038,matter,市政公用设施类,Municipal utilities,地灯异常,Ground light problem
01039,matter,市政公用设施类,Municipal utilities,景观灯异常,Decorative landscape light problem
01040,matter,市政公用设施类,Municipal utilities,报刊亭异常,Newsstand problem
01041,matter,市政公用设施类,Municipal utilities,电话亭异常,Telephone booth problem
01042,matter,市政公用设施类,Municipal utilities,邮筒异常,Mailbox problem
01043,matter,市政公用设施类,Municipal utilities,信息亭异常,Information kiosk problem
01044,matter,市政公用设施类,Municipal utilities,售货亭异常,Sales kiosk problem
01045,matter,市政公用设施类,Municipal utilities,自动售货机异常,Vending machine problem
01046,matter,市政公用设施类,Municipal utilities,户外健身设施异常,Outdoor fitness equipment problem
01047,matter,市政公用设施类,Municipal utilities,高压线铁塔异常,High-voltage transmission tower problem
01048,matter,市政公用设施类,Municipal utilities,变压器（箱）异常,Transformer (box) problem
01049,matter,市政公用设施类,Municipal utilities,燃气调压站（箱）异常,Gas pressure regulating station (box) problem
01050,matter,市政公用设施类,Municipal utilities,监控电子眼设施异常,Surveillance camera problem
01051,matter,市政公用设施类,Municipal utilities,治安岗亭异常,Police sentry box problem
01052,matter,市政公用设施类,Municipal utilities,休息亭异常,Rest pavilion problem
01053,matter,市政公用设施类,Municipal utilities,自助缴费机异常,Self-service payment machine problem
01054,matter,市政公用设施类,Municipal utilities,充电桩异常,EV charging post problem
01055,matter,市政公用设施类,Municipal utilities,防蚊闸异常,Mosquito barrier gate problem
01056,matter,市政公用设施类,Municipal utilities,跨河管道异常,Pipeline crossing a river problem
01057,matter,市政公用设施类,Municipal utilities,露天燃气管道异常,Exposed gas pipeline problem
01058,matter,市政公用设施类,Municipal utilities,晒衣架异常,Clothes drying rack problem
01059,matter,市政公用设施类,Municipal utilities,旧衣物回收箱异常,Used clothing collection bin problem
01060,matter,市政公用设施类,Municipal utilities,路灯配电箱异常,Street light distribution box problem
01061,matter,市政公用设施类,Municipal utilities,露天供热管道异常,Exposed heating pipeline problem
01062,matter,市政公用设施类,Municipal utilities,通信基站异常,Telecom base station problem
01063,matter,市政公用设施类,Municipal utilities,水塔异常,Water tower problem
01064,matter,市政公用设施类,Municipal utilities,牌楼（门楼）异常,Memorial archway (gateway) problem
01065,matter,市政公用设施类,Municipal utilities,管理责任公示牌异常,Management responsibility notice board problem
01066,matter,市政公用设施类,Municipal utilities,紧急报警点SOS异常,SOS emergency call point problem
01067,matter,市政公用设施类,Municipal utilities,防汛监测设施异常,Flood monitoring facility problem
01068,matter,市政公用设施类,Municipal utilities,水鹤异常,Water crane (hydrant for tankers) problem
01069,matter,市政公用设施类,Municipal utilities,水域附属设施异常,Waterway ancillary facility problem
01070,matter,市政公用设施类,Municipal utilities,水域护栏异常,Waterside railing problem
01071,matter,市政公用设施类,Municipal utilities,防汛墙异常,Flood wall problem
01072,matter,市政公用设施类,Municipal utilities,排水泵站异常,Drainage pumping station problem
01073,matter,市政公用设施类,Municipal utilities,雨污水排放口异常,Storm and sewage outfall problem
01074,matter,市政公用设施类,Municipal utilities,综合管廊附属设施异常,Utility tunnel ancillary facility problem
01075,matter,市政公用设施类,Municipal utilities,快递柜异常,Parcel locker problem
01076,matter,市政公用设施类,Municipal utilities,公用电梯异常,Public elevator problem
01077,matter,市政公用设施类,Municipal utilities,综合杆异常,Multi-function pole problem
02001,matter,交通设施类,Traffic facilities,停车场异常,Parking lot problem
02002,matter,交通设施类,Traffic facilities,立体车库异常,Multi-storey car park problem
02003,matter,交通设施类,Traffic facilities,停车计费设备异常,Parking meter problem
02004,matter,交通设施类,Traffic facilities,公交站设施异常,Bus stop facility problem
02005,matter,交通设施类,Traffic facilities,出租车停靠站异常,Taxi stand problem
02006,matter,交通设施类,Traffic facilities,过街天桥异常,Pedestrian overpass problem
02007,matter,交通设施类,Traffic facilities,地下通道异常,Underpass problem
02008,matter,交通设施类,Traffic facilities,立交桥异常,Interchange bridge problem
02009,matter,交通设施类,Traffic facilities,跨河桥异常,River bridge problem
02010,matter,交通设施类,Traffic facilities,交通标志牌及标线异常,Traffic signs and road markings problem
02011,matter,交通设施类,Traffic facilities,限高架标志异常,Height limit barrier sign problem
02012,matter,交通设施类,Traffic facilities,路名牌异常,Street name sign problem
02013,matter,交通设施类,Traffic facilities,地名牌异常,Place name sign problem
02014,matter,交通设施类,Traffic facilities,交通信号灯异常,Traffic light problem
02015,matter,交通设施类,Traffic facilities,交通信号设施异常,Traffic signal equipment problem
02016,matter,交通设施类,Traffic facilities,交通岗亭异常,Traffic police booth problem
02017,matter,交通设施类,Traffic facilities,交通护栏异常,Traffic railing problem
02018,matter,交通设施类,Traffic facilities,防撞桶异常,Crash barrel problem
02019,matter,交通设施类,Traffic facilities,安全岛异常,Traffic island problem
02020,matter,交通设施类,Traffic facilities,人行横道桩异常,Crosswalk bollard problem
02021,matter,交通设施类,Traffic facilities,便道桩异常,Sidewalk bollard problem
02022,matter,交通设施类,Traffic facilities,柔性隔离体异常,Flexible delineator post problem
02023,matter,交通设施类,Traffic facilities,道路信息显示屏异常,Road information display problem
02024,matter,交通设施类,Traffic facilities,道路隔音屏异常,Road noise barrier problem
02025,matter,交通设施类,Traffic facilities,非机动车停放点异常,Bicycle parking area problem
02026,matter,交通设施类,Traffic facilities,自行车租赁点异常,Bike rental station problem
02027,matter,交通设施类,Traffic facilities,存车支架异常,Bicycle rack problem
02028,matter,交通设施类,Traffic facilities,铁道口设施异常,Railway crossing facility problem
02029,matter,交通设施类,Traffic facilities,栈桥异常,Pier (trestle bridge) problem
02030,matter,交通设施类,Traffic facilities,水域标示牌异常,Waterway sign problem
02031,matter,交通设施类,Traffic facilities,港监设施异常,Harbour supervision facility problem
02032,matter,交通设施类,Traffic facilities,轨道交通设施异常,Rail transit facility problem
02033,matter,交通设施类,Traffic facilities,交通反视镜异常,Traffic convex mirror problem
02034,matter,交通设施类,Traffic facilities,无障碍设施异常,Accessibility facility problem
02035,matter,交通设施类,Traffic facilities,应急避难指示牌异常,Emergency shelter sign problem
02036,matter,交通设施类,Traffic facilities,救助站指示牌异常,Rescue station sign problem
02037,matter,交通设施类,Traffic facilities,文物建筑标志牌异常,Heritage building sign problem
02038,matter,交通设施类,Traffic facilities,门（楼号）牌异常,House (building) number plate problem
02039,matter,交通设施类,Traffic facilities,公安指示牌异常,Police direction sign problem
02040,matter,交通设施类,Traffic facilities,景区标识牌异常,Scenic area sign problem
02041,matter,交通设施类,Traffic facilities,停车信息显示屏异常,Parking information display problem
02042,matter,交通设施类,Traffic facilities,铁路桥涵异常,Railway bridge or culvert problem
02043,matter,交通设施类,Traffic facilities,减速带异常,Speed bump problem
02044,matter,交通设施类,Traffic facilities,公路隧道异常,Road tunnel problem
03001,matter,市容环卫设施类,Sanitation and city appearance facilities,公共厕所异常,Public toilet problem
03002,matter,市容环卫设施类,Sanitation and city appearance facilities,公厕指示牌异常,Public toilet sign problem
03003,matter,市容环卫设施类,Sanitation and city appearance facilities,化粪池异常,Septic tank problem
03004,matter,市容环卫设施类,Sanitation and city appearance facilities,垃圾间（楼）异常,Refuse room (building) problem
03005,matter,市容环卫设施类,Sanitation and city appearance facilities,垃圾箱异常,Litter bin problem
03006,matter,市容环卫设施类,Sanitation and city appearance facilities,户外广告异常,Outdoor advertisement problem
03007,matter,市容环卫设施类,Sanitation and city appearance facilities,牌匾标识异常,Shop sign problem
03008,matter,市容环卫设施类,Sanitation and city appearance facilities,宣传栏异常,Bulletin board problem
03009,matter,市容环卫设施类,Sanitation and city appearance facilities,气象监测站异常,Weather station problem
03010,matter,市容环卫设施类,Sanitation and city appearance facilities,环保监测站异常,Environmental monitoring station problem
03011,matter,市容环卫设施类,Sanitation and city appearance facilities,污水口监测站异常,Sewage outlet monitoring station problem
03012,matter,市容环卫设施类,Sanitation and city appearance facilities,污水监测器异常,Sewage monitor problem
03013,matter,市容环卫设施类,Sanitation and city appearance facilities,噪声显示屏异常,Noise level display problem
03014,matter,市容环卫设施类,Sanitation and city appearance facilities,环卫工具间（箱）异常,Sanitation tool room (box) problem
03015,matter,市容环卫设施类,Sanitation and city appearance facilities,宠物拾便纸箱异常,Pet waste bag dispenser problem
03016,matter,市容环卫设施类,Sanitation and city appearance facilities,烟头收集器或灭烟处异常,Cigarette butt bin or smoking point problem
04001,matter,园林绿化设施类,Landscaping facilities,古树名木异常,Ancient or famous tree problem
04002,matter,园林绿化设施类,Landscaping facilities,行道树异常,Street tree problem
04003,matter,园林绿化设施类,Landscaping facilities,独立树异常,Solitary tree problem
04004,matter,园林绿化设施类,Landscaping facilities,护树设施异常,Tree protection facility problem
04005,matter,园林绿化设施类,Landscaping facilities,花架花钵异常,Flower stand or planter problem
04006,matter,园林绿化设施类,Landscaping facilities,雕塑异常,Sculpture problem
04007,matter,园林绿化设施类,Landscaping facilities,街头座椅异常,Street bench problem
04008,matter,园林绿化设施类,Landscaping facilities,绿地护栏异常,Green space railing problem
04009,matter,园林绿化设施类,Landscaping facilities,绿地附属设施异常,Green space ancillary facility problem
04010,matter,园林绿化设施类,Landscaping facilities,喷泉异常,Fountain problem
04011,matter,园林绿化设施类,Landscaping facilities,树池树穴异常,Tree pit problem
04012,matter,园林绿化设施类,Landscaping facilities,高架挂箱异常,Elevated hanging planter box problem
04013,matter,园林绿化设施类,Landscaping facilities,绿地异常,Green space problem
04014,matter,园林绿化设施类,Landscaping facilities,林地及林地管护设施异常,Woodland and woodland management facility problem
05002,matter,其他管理部件类,Other components,公房地下室异常,Public housing basement problem
05003,matter,其他管理部件类,Other components,车辆加油（气、电）站异常,Vehicle fuelling (gas, charging) station problem
05009,matter,其他管理部件类,Other components,文物古迹异常,Cultural relic or historic site problem
06001,matter,市容环境类,City appearance and environment,私搭乱建,Illegal construction
06002,matter,市容环境类,City appearance and environment,店面无证装修,Shopfront renovation without a permit
06003,matter,市容环境类,City appearance and environment,违章接坡,Illegal curb ramp
06004,matter,市容环境类,City appearance and environment,建筑物外立面污损,Stained or damaged building facade
06005,matter,市容环境类,City appearance and environment,临街阳台、屋顶脏乱差,Untidy street-facing balcony or roof
06006,matter,市容环境类,City appearance and environment,擅自在临街的建筑物上挂彩旗,Unauthorised flags hung on street-facing buildings
06007,matter,市容环境类,City appearance and environment,沿街晾挂,Laundry hung along the street
06008,matter,市容环境类,City appearance and environment,擅自架设管线、杆线设施,Unauthorised pipelines, poles or cables
06009,matter,市容环境类,City appearance and environment,空调室外机低挂,Air conditioner outdoor unit mounted too low
06010,matter,市容环境类,City appearance and environment,暴露垃圾,Exposed garbage
06011,matter,市容环境类,City appearance and environment,积存垃圾渣土,Accumulated garbage and muck
06012,matter,市容环境类,City appearance and environment,道路不洁,Dirty road
06013,matter,市容环境类,City appearance and environment,道路破损,Damaged road
06014,matter,市容环境类,City appearance and environment,道路遗撒（洒）,Spillage on the road
06015,matter,市容环境类,City appearance and environment,沙（河）滩不洁,Dirty beach or riverbank
06016,matter,市容环境类,City appearance and environment,交通标线不清晰,Faded traffic markings
06017,matter,市容环境类,City appearance and environment,绿地脏乱,Dirty green space
06018,matter,市容环境类,City appearance and environment,绿化弃料,Green waste left behind
06019,matter,市容环境类,City appearance and environment,非装饰性吊挂,Non-decorative items hung up
06020,matter,市容环境类,City appearance and environment,焚烧垃圾、树叶,Burning garbage or leaves
06021,matter,市容环境类,City appearance and environment,病虫害,Plant pests and diseases
06022,matter,市容环境类,City appearance and environment,非法伐树,Illegal tree felling
06023,matter,市容环境类,City appearance and environment,堤岸破损,Damaged embankment
06024,matter,市容环境类,City appearance and environment,水域秩序乱象,Disorder on the water
06025,matter,市容环境类,City appearance and environment,水域不洁,Dirty waterway
06026,matter,市容环境类,City appearance and environment,河道污染,River pollution
06027,matter,市容环境类,City appearance and environment,油烟污染,Cooking fume pollution
06028,matter,市容环境类,City appearance and environment,噪声扰民,Noise nuisance
06029,matter,市容环境类,City appearance and environment,露天烧烤,Open-air barbecue
06030,matter,市容环境类,City appearance and environment,乱倒乱排污水、废水,Illegal dumping or discharge of sewage and wastewater
06032,matter,市容环境类,City appearance and environment,非正规垃圾填埋场,Illegal landfill
06033,matter,市容环境类,City appearance and environment,乱丢弃医疗废物,Medical waste dumped
06034,matter,市容环境类,City appearance and environment,废弃车辆,Abandoned vehicle
06035,matter,市容环境类,City appearance and environment,废弃家具设备,Abandoned furniture or equipment
06036,matter,市容环境类,City appearance and environment,乱堆杂物,Debris piled illegally
06037,matter,市容环境类,City appearance and environment,动物尸体,Animal carcass
06038,matter,市容环境类,City appearance and environment,擅自饲养家禽家畜,Unauthorised poultry or livestock keeping
06039,matter,市容环境类,City appearance and environment,违章开设道口,Illegal road access opening
06040,matter,市容环境类,City appearance and environment,私设地锁、阻车桩,Private parking lock or barrier post
06041,matter,市容环境类,City appearance and environment,垃圾未分类,Garbage not sorted
06042,matter,市容环境类,City appearance and environment,垃圾站（箱）满溢,Overflowing garbage station (bin)
06043,matter,市容环境类,City appearance and environment,遮阳篷（棚、伞）破损,Damaged awning (canopy, umbrella)
06044,matter,市容环境类,City appearance and environment,节庆装饰物破损,Damaged festive decoration
06045,matter,市容环境类,City appearance and environment,非法占绿毁绿,Illegal occupation or destruction of green space
06046,matter,市容环境类,City appearance and environment,占用河道,River channel occupied
06047,matter,市容环境类,City appearance and environment,公园秩序,Park disorder
06048,matter,市容环境类,City appearance and environment,边坡（挡土墙）破损,Damaged slope (retaining wall)
06049,matter,市容环境类,City appearance and environment,台阶破损,Damaged steps
06050,matter,市容环境类,City appearance and environment,路缘石缺损,Damaged or missing curb stone
06051,matter,市容环境类,City appearance and environment,盲道缺损,Damaged or missing tactile paving
06052,matter,市容环境类,City appearance and environment,无障碍坡道破损,Damaged wheelchair ramp
07001,matter,宣传广告类,Advertising and publicity,非法小广告,Illegal small advertisements
07002,matter,宣传广告类,Advertising and publicity,街头散发广告,Flyers handed out on the street
07003,matter,宣传广告类,Advertising and publicity,违规户外广告,Illegal outdoor advertisement
07004,matter,宣传广告类,Advertising and publicity,广告语言文字不规范,Non-standard language on advertisements
07006,matter,宣传广告类,Advertising and publicity,违规牌匾标识,Illegal shop sign
07007,matter,宣传广告类,Advertising and publicity,违规标语宣传品,Illegal banners and slogans
07008,matter,宣传广告类,Advertising and publicity,公益性宣传品缺损,Damaged public service publicity
08001,matter,施工管理类,Construction management,施工扰民,Construction noise nuisance
08002,matter,施工管理类,Construction management,施工占道,Construction occupying the road
08003,matter,施工管理类,Construction management,无证掘路,Road excavation without a permit
08004,matter,施工管理类,Construction management,工地扬尘,Construction site dust
08005,matter,施工管理类,Construction management,施工废弃料,Construction waste
08006,matter,施工管理类,Construction management,施工物料乱堆放,Construction materials piled illegally
08007,matter,施工管理类,Construction management,施工工地围挡问题,Construction site hoarding problem
08008,matter,施工管理类,Construction management,施工工地道路未硬化,Construction site road not hardened
08009,matter,施工管理类,Construction management,施工工地出入口道路破损,Damaged road at a construction site entrance
08010,matter,施工管理类,Construction management,施工完成后未场光地净,Site not cleared after construction
08011,matter,施工管理类,Construction management,渣土运输车辆未安装密闭装置,Muck truck without a sealed cover
08012,matter,施工管理类,Construction management,施工工地车轮夹带,Mud carried out on site vehicle wheels
08013,matter,施工管理类,Construction management,违规高空悬吊作业,Illegal work suspended at height
08014,matter,施工管理类,Construction management,预埋件设施裸露,Exposed embedded fixtures
08015,matter,施工管理类,Construction management,施工公示牌污损,Stained or damaged construction notice board
08016,matter,施工管理类,Construction management,无证建设,Construction without a permit
09001,matter,街面秩序类,Street order,无照经营游商,Unlicensed street peddler
09002,matter,街面秩序类,Street order,早（夜）市管理问题,Morning (night) market problem
09003,matter,街面秩序类,Street order,流浪乞讨,Vagrancy and begging
09004,matter,街面秩序类,Street order,废品收购乱象,Disorderly scrap collection
09005,matter,街面秩序类,Street order,店外经营,Business spilling out of the shop
09006,matter,街面秩序类,Street order,占道经营,Street vending occupying the road
09008,matter,街面秩序类,Street order,非法出版物销售,Sale of illegal publications
09009,matter,街面秩序类,Street order,机动车乱停放,Illegally parked motor vehicle
09010,matter,街面秩序类,Street order,非机动车乱停放,Illegally parked bicycle or e-bike
09011,matter,街面秩序类,Street order,共享单车乱象,Shared bike disorder
09012,matter,街面秩序类,Street order,占用消防通道,Fire lane blocked
09013,matter,街面秩序类,Street order,临街屠宰,Slaughtering on the street
09014,matter,街面秩序类,Street order,畜力车进城,Animal-drawn cart in the city
09015,matter,街面秩序类,Street order,无证餐饮,Unlicensed food business
09016,matter,街面秩序类,Street order,违规设置停车场,Illegal parking lot
09017,matter,街面秩序类,Street order,违规占用桥下空间,Illegal use of space under a bridge
09018,matter,街面秩序类,Street order,履带车（铁轮车）违规上路行驶,Tracked (iron-wheeled) vehicle illegally on the road
09019,matter,街面秩序类,Street order,占用无障碍通道,Accessible passage blocked
09020,matter,街面秩序类,Street order,农贸市场秩序问题,Farmers' market disorder
09021,matter,街面秩序类,Street order,占道洗车,Car washing on the road
09022,matter,街面秩序类,Street order,占道促销宣传,Sales promotion occupying the road
10001,matter,其他事项类,Other matters,道路积雪、结冰,Snow or ice on the road
10002,matter,其他事项类,Other matters,架空线缆脱落,Fallen overhead cable
"""
}
