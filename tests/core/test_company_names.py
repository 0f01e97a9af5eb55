import pytest

from zhaoshang.core.company_names import split_company_name


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("武汉瑞兴视觉科技有限公司", ("武汉", "瑞兴", "视觉科技", "有限公司", "")),
        ("浙江省诸暨市店口镇华新五金厂", ("诸暨", "华新", "五金", "厂", "")),
        ("浙江海亮股份有限公司诸暨分公司", ("浙江", "海亮", "", "股份有限公司", "诸暨分公司")),
        ("中国工商银行诸暨支行", ("", "中国工商银行", "", "", "诸暨支行")),
        ("瑞兴视觉科技（深圳）有限公司", ("深圳", "瑞兴", "视觉科技", "有限公司", "")),
        ("宁波金田铜业（集团）股份有限公司", ("宁波", "金田", "铜业", "集团股份有限公司", "")),
        ("浙江物流有限公司", ("", "浙江", "物流", "有限公司", "")),
        ("华新材料", ("", "华新", "材料", "", "")),
        ("ＡＢＣ科技（杭州）有限公司", ("杭州", "abc", "科技", "有限公司", "")),
        ("Ningbo Oriental Trading Co. Ltd", ("", "ningboorientaltrading", "", "co ltd", "")),
        ("", ("", "", "", "", "")),
    ],
)
def test_a_name_is_taken_apart(name, parts):
    found = split_company_name(name)
    assert (found.region, found.trade, found.industry, found.form, found.branch) == parts


def test_places_nest_and_a_seat_elsewhere_is_kept():
    assert split_company_name("绍兴市上虞区晶华化工有限公司").places == {"上虞", "绍兴", "浙江"}
    assert split_company_name("浙江天能电池（江苏）有限公司").seat == "江苏"


def test_a_very_long_name_is_cut_not_refused():
    assert len(split_company_name("甲" * 20000).trade) == 200
