"""The portal registry: minimal form, defaults, clear errors, host:port domains."""

import pytest

from crawler.registry import RegistryError, is_loopback, parse_registry

MINIMAL = """
[[portal]]
name = "beilun"
region = "浙江省宁波市北仑区"
start_urls = ["http://www.bl.gov.cn/col/col1229/index.html"]
allowed_domains = ["bl.gov.cn"]
"""


def test_minimal_form_gets_defaults():
    (portal,) = parse_registry(MINIMAL)
    assert portal.name == "beilun" and portal.max_pages > 0 and portal.title_pattern is None
    assert portal.allows("http://www.bl.gov.cn/art/2021/1/25/art_1229_1.html")
    assert not portal.allows("http://bl.gov.cn.spam-mirror.com/art/1.html")
    assert not portal.allows("http://yxjlzs.com/zgsr/gknb/202303/1.shtml")


def test_allowed_domain_with_port():
    (portal,) = parse_registry(MINIMAL.replace('["bl.gov.cn"]', '["127.0.0.1:43121"]').replace(
        "www.bl.gov.cn", "127.0.0.1:43121"))
    assert portal.allows("http://127.0.0.1:43121/x.html")
    assert not portal.allows("http://127.0.0.1:43122/x.html")


@pytest.mark.parametrize("text, message", [
    ("", "no [[portal]]"),
    ("[[portal]]\nname='x'\n", "missing required keys region, start_urls, allowed_domains"),
    ("[[portal", "not valid TOML"),
    (MINIMAL + MINIMAL, "duplicate portal name"),
])
def test_errors_say_what_is_wrong(text, message):
    with pytest.raises(RegistryError, match=message.replace("[", r"\[")):
        parse_registry(text)


def test_loopback_detection():
    assert is_loopback("127.0.0.1:8080") and is_loopback("http://127.0.0.5/x")
    assert not is_loopback("www.gov.cn")
