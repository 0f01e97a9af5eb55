"""The adapters' signing and message rules, checked against the published rules, and each adapter against
the fake servers (tests/notify/conftest.py)."""

import base64
import hashlib
import hmac
import json
import urllib.parse

import pytest

from zhaoshang.notify.channels import ADAPTERS, ChannelError, OutgoingMessage, dingtalk, scrub, zzd

from .conftest import DING_SECRET, ZZD_KEY, ZZD_SECRET


def test_zzd_bytes_to_sign_follow_the_published_layout():
    params = {"tenantId": "196729", "bizMsgId": "b1", "receiverIds": "8807", "msg": '{"a":"中"}'}
    text = zzd.bytes_to_sign(
        "post", "2026-03-02T12:00:00.123+08:00", "17724240001234", "/message/workNotification", params
    )
    assert text == (
        "POST\n2026-03-02T12:00:00.123+08:00\n17724240001234\n/message/workNotification\n"
        'bizMsgId=b1&msg={"a":"中"}&receiverIds=8807&tenantId=196729'
    )
    assert zzd.bytes_to_sign("GET", "t", "n", "/gettoken.json", {}) == "GET\nt\nn\n/gettoken.json"
    expected = base64.b64encode(hmac.new(b"k", text.encode(), hashlib.sha256).digest()).decode()
    assert (
        zzd.signature(
            "k", "POST", "2026-03-02T12:00:00.123+08:00", "17724240001234", "/message/workNotification", params
        )
        == expected
    )


def test_zzd_headers_and_timestamp_format():
    headers = zzd.signed_headers(api_key="ak", secret="sk", method="POST", uri="/x", params={"a": "1"})
    assert headers["X-Hmac-Auth-Version"] == "1.0" and headers["apiKey"] == "ak"
    assert len(headers["X-Hmac-Auth-Nonce"]) == 17 and headers["X-Hmac-Auth-Nonce"].isdigit()
    ts = headers["X-Hmac-Auth-Timestamp"]
    assert len(ts) == 29 and ts.endswith("+08:00") and ts[10] == "T" and ts[19] == "."


def test_zzd_message_is_cut_to_2048_bytes_keeping_title_and_link():
    message = OutgoingMessage(
        title="接棒：长标题项目", body="很长的说明。" * 400, link="http://zs.example/projects/9/", dedupe_key="k"
    )
    text = zzd.message_json(message)
    content = json.loads(text)["text"]["content"]
    assert len(text.encode()) <= 2048
    assert content.startswith("接棒：长标题项目\n很长的说明") and content.endswith(
        "…\n详情：http://zs.example/projects/9/"
    )
    short = OutgoingMessage(title="短", body="正文", link="http://zs.example/", dedupe_key="k")
    assert json.loads(zzd.message_json(short))["text"]["content"] == "短\n正文\n详情：http://zs.example/"


def test_dingtalk_signature_is_the_published_one():
    expected = urllib.parse.quote_plus(
        base64.b64encode(hmac.new(b"SECx", b"1700000000000\nSECx", hashlib.sha256).digest()).decode()
    )
    assert dingtalk.sign("SECx", 1700000000000) == expected
    url = dingtalk.signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "SECx", 1700000000000)
    assert url == f"https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign={expected}"


def test_phone_numbers_are_scrubbed_in_every_form():
    text = "请联系 13812345678、+86 139-1234-5678 或 0575-87654321；项目编号 ZJ-2026-0001，投资 30000 万元"
    out = scrub(text)
    assert "13812345678" not in out and "139-1234-5678" not in out and "87654321" not in out
    assert "ZJ-2026-0001" in out and "30000" in out


MESSAGE = OutgoingMessage(title="测试", body="正文", link="http://testserver/x/", dedupe_key="d1")


def test_dingtalk_adapter_against_the_fake_server(fake_http):
    config = {"webhook": f"{fake_http.url}/robot/send?access_token=tok", "secret": DING_SECRET, "keyword": "招商"}
    ADAPTERS["dingtalk"].send({**config, "at_user_ids": "u1"}, MESSAGE, "group")
    (request,) = fake_http.requests
    assert request["query"]["access_token"] == "tok" and request["json"]["at"]["atUserIds"] == ["u1"]
    assert request["json"]["markdown"]["text"].startswith("#### 【招商】测试")
    with pytest.raises(ChannelError) as wrong:
        ADAPTERS["dingtalk"].send({**config, "secret": "SECwrong"}, MESSAGE, "group")
    assert not wrong.value.retry and "310000" in str(wrong.value)


def test_zzd_adapter_against_the_fake_server_and_a_refused_signature(fake_http):
    config = {"endpoint": fake_http.url, "api_key": ZZD_KEY, "api_secret": ZZD_SECRET, "tenant_id": "196729"}
    assert ADAPTERS["zzd"].send(config, MESSAGE, "8807") == zzd.biz_msg_id("d1", "8807")
    assert fake_http.requests[0]["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    with pytest.raises(ChannelError) as refused:
        ADAPTERS["zzd"].send({**config, "api_secret": "wrong"}, MESSAGE, "8807")
    assert not refused.value.retry and "401" in str(refused.value)


def test_wecom_adapter_against_the_fake_server(fake_http):
    ADAPTERS["wecom"].send({"webhook": f"{fake_http.url}/cgi-bin/webhook/send?key=wk"}, MESSAGE, "group")
    (request,) = fake_http.requests
    assert request["query"] == {"key": "wk"}
    assert request["json"] == {
        "msgtype": "markdown",
        "markdown": {"content": "**测试**\n正文\n[在平台中查看](http://testserver/x/)"},
    }


def test_email_adapter_sends_html_and_text_through_smtp(smtp_server):
    config = {"host": "127.0.0.1", "port": smtp_server.port, "security": "none", "from_email": "zs@example.cn"}
    ADAPTERS["email"].send(config, MESSAGE, "a@example.cn")
    (mail,) = smtp_server.messages
    assert mail["to"] == ["a@example.cn"] and mail["from"] == "zs@example.cn"
    assert "multipart/alternative" in mail["data"] and "text/html" in mail["data"]
    with pytest.raises(ChannelError) as unreachable:
        ADAPTERS["email"].send({**config, "port": 1}, MESSAGE, "a@example.cn")
    assert unreachable.value.retry
