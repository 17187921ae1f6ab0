"""The eval generator's "other province" / "other city" addresses come from the
national division table and always differ from the region a rule names."""

from __future__ import annotations

import pytest

from core import spec as s
from corpus.loader import default_corpus
from eval.checkers.generators.places import other_city_address, other_province_address, short

# the Jiangsu generator once wrote 浙江省嘉兴市 for every programme: a Zhejiang
# programme's "other province" case was then a compliant address
PROVINCES = ["江苏省", "浙江省", "浙江", "河北省", "湖南省", "广西壮族自治区", "上海市"]


@pytest.mark.parametrize("province", PROVINCES)
def test_other_province_is_not_the_programmes(province: str) -> None:
    addr = other_province_address([province], [])
    assert not addr.startswith(short(province)), addr
    assert addr.endswith("人民路1号") and "省" in addr and "市" in addr


def test_other_province_of_a_city_programme() -> None:
    assert not other_province_address([], ["杭州市"]).startswith("浙江")
    assert not other_province_address([], ["南通市"]).startswith("江苏")


@pytest.mark.parametrize(
    ("cities", "province"), [(["南通市"], "江苏省"), (["杭州市"], "浙江省"), (["长沙市"], "湖南省")]
)
def test_other_city_is_in_the_same_province_and_none_of_the_cities(cities: list[str], province: str) -> None:
    addr = other_city_address(cities)
    assert addr is not None and addr.startswith(province)
    assert not any(short(c) in addr for c in cities), addr


def test_every_region_rule_gets_an_address_outside_its_region() -> None:
    corpus = default_corpus()
    for spec in corpus.programmes.values():
        for rule in spec.rules:
            p = rule.check
            if isinstance(p, s.RegionIn):
                home = short(p.province) if p.province else None
                addr = other_province_address([p.province] if p.province else [], p.cities or [])
                assert home is None or home not in addr, (spec.id, rule.id, addr)
