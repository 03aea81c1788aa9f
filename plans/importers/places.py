"""Where a bureau sits, read from its name alone: its level, its own place's name and the places its name
is written within (温州市龙湾区教育体育局: a district, 龙湾区, within 温州市)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .vocabulary import BUREAU_SUFFIXES, MUNICIPALITIES

# Where a place's name may end and the next begin: 某某省|安澜市|龙泽区, 阿克苏地区|库车市, 恩施州|恩施市. A bare
# 州 ends a place only where another name follows (恩施州恩施市), not in 杭州市 or 荆州市.
PLACE_END = re.compile(r"自治区|省|自治州|地区|市|盟|州(?![市县区旗])")


@dataclass(frozen=True)
class Placement:
    level: str  # as bureau.models.Bureau.Level: province, city or district
    short_name: str
    within: tuple[str, ...]  # the places the name is written within, nearest first

    def names_above(self) -> dict[str, int]:
        """The names the bureaus above may have, each with how near it is (0 nearest)."""
        return {place + suffix: rank for rank, place in enumerate(self.within) for suffix in BUREAU_SUFFIXES}


def placement(name: str) -> Placement:
    suffix = max((s for s in BUREAU_SUFFIXES if name.endswith(s)), key=len, default="")
    place = name.removesuffix(suffix)
    within = enclosing_places(place)
    if suffix == "教育厅" or place.endswith(("省", "自治区")) or place in MUNICIPALITIES:
        level = "province"
    elif place.endswith("地区"):
        level = "city"  # a prefecture (阿克苏地区), not a city's district
    elif place.endswith(("区", "县", "旗")) or (
        place.endswith("市") and within and within[0].endswith(("市", "州", "盟", "地区"))
    ):
        level = "district"  # a county-level city is named within its city: 台州市温岭市
    else:
        level = "city"
    # Its own place's name, without the places it is written within: 温州市龙湾区 → 龙湾区.
    short_name = place.removeprefix(within[0]) if within else place
    return Placement(level=level, short_name=short_name[-30:], within=within)


def enclosing_places(place: str) -> tuple[str, ...]:
    """The places `place` is named within, nearest first, each also without its province:
    某某省安澜市龙泽区 → 某某省安澜市, 安澜市, 某某省."""
    ends, start = [], 0
    for match in PLACE_END.finditer(place):
        # Every place's name has two characters at least: 济南市|市中区, not 济南市|市|中区; 荆州市|沙市区, not
        # 荆州市|沙市|区.
        if match.end() - start >= 2 and len(place) - match.end() >= 2:
            ends.append(match.end())
            start = match.end()
    places = []
    for end in reversed(ends):
        places.append(place[:end])
        province = re.match(r".+?(?:自治区|省)", place[:end])
        if province and province.end() < end:
            places.append(place[province.end() : end])
    return tuple(dict.fromkeys(places))
