"""A chain as Excel: the editor's export read back through the import engine (kind ``chains``) gives the same
chain as a new version; every bad row is named by sheet, row and column and then nothing is written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhaoshang.chains import exports, services
from zhaoshang.chains.models import ChainVersion
from zhaoshang.core.models import ObjectChange
from zhaoshang.imports import services as import_services
from zhaoshang.imports.files import read_rows, write_xlsx

from .conftest import node


def sheets_of(data: bytes) -> dict[str, list[list]]:
    names = ("节点", "供应关系", "产业链")
    return {name: [list(r) for r in read_rows(data, "xlsx", sheet=name)] for name in names}


def workbook(sheets: dict[str, list[list]]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, [(name, rows[0], rows[1:]) for name, rows in sheets.items()])
    return buffer.getvalue()


@pytest.fixture
def run_import(users, django_capture_on_commit_callbacks):
    def _run(data: bytes, mode: str = "commit", actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            job = import_services.import_start(
                actor=actor or users["center"], kind="chains", mode=mode, upload=SimpleUploadedFile("链.xlsx", data)
            )
        job.refresh_from_db()
        return job

    return _run


def state(chain):
    chain.refresh_from_db()
    return services.chain_data(chain), chain.version, ChainVersion.objects.filter(chain=chain).count()


def test_export_then_import_gives_the_same_chain_as_a_new_version(chains, run_import, county):
    nev = chains["nev"]
    motor = node(nev, "nev.mid.motor")
    motor.responsible_unit = county.diankou  # a node's own unit travels too
    motor.save()
    before, version, _ = state(nev)
    data = exports.chain_xlsx(chain=nev)
    assert set(sheets_of(data)) == {"节点", "供应关系", "产业链"}
    assert sheets_of(data)["节点"][0][:4] == ["节点代码", "上级节点代码", "环节", "节点名称"]

    job = run_import(data)

    assert (job.status, job.committed, job.error_count) == ("done", True, 0), job.errors
    after, new_version, _ = state(nev)
    assert after == before
    assert new_version == version + 1
    assert node(nev, "nev.mid.motor").pk == motor.pk
    assert nev.versions.get(number=new_version).note == "导入链图（Excel）"
    assert ObjectChange.objects.filter(object_id=str(nev.pk), action="update").exists()


def test_dry_run_previews_changes_and_writes_nothing(chains, run_import):
    nev = chains["nev"]
    before = state(nev)
    sheets = sheets_of(exports.chain_xlsx(chain=nev))
    material = next(n for n, r in enumerate(sheets["节点"]) if r[0] == "nev.up.material")
    sheets["节点"][material][3] = "锂电材料"
    sheets["节点"].append(["nev.down.swap", "nev.down", "下游", "换电站", "", "", "换电站", "", ""])

    job = run_import(workbook(sheets), mode="dry_run")

    assert (job.status, job.committed, job.error_count) == ("done", False, 0), job.errors
    assert (job.created_count, job.updated_count) == (1, 1)
    update = next(c for c in job.changes if c["action"] == "update")
    assert (update["sheet"], update["row"]) == ("节点", material + 1)
    assert update["diff"] == {"节点名称": ["电池材料", "锂电材料"]}
    assert state(nev) == before


def errors_of(job) -> list[tuple]:
    return [(e.get("sheet"), e["row"], e["column"], e["message"]) for e in job.errors]


@pytest.mark.parametrize("mode", ["commit", "valid_only"])
def test_every_bad_row_is_named_and_nothing_is_written(chains, run_import, mode):
    nev = chains["nev"]
    before = state(nev)
    sheets = sheets_of(exports.chain_xlsx(chain=nev))
    nodes = sheets["节点"]
    rows = {r[0]: n for n, r in enumerate(nodes)}  # index in the list; Excel row = index + 1
    nodes[rows["nev.mid.motor"]][1] = "nev.mid.nowhere"  # unknown parent
    nodes[rows["nev.mid.parts"]][5] = "3841、9999"  # unknown industry class
    nodes.append(list(nodes[rows["nev.down.recycling"]]))  # duplicate code
    edges = sheets["供应关系"]
    edges.append(["nev.down.vehicle", "nev.up.material.cathode"])  # closes cathode → battery → vehicle
    edges.append(["nev.down.vehicle", "nev.ghost"])  # unknown node

    job = run_import(workbook(sheets), mode=mode)

    assert job.committed is False
    assert job.error_count == 5, errors_of(job)
    motor_row, parts_row, dup_row = rows["nev.mid.motor"] + 1, rows["nev.mid.parts"] + 1, len(nodes)
    cycle_row, ghost_row = len(edges) - 1, len(edges)
    assert errors_of(job) == [
        (
            "节点",
            motor_row,
            "上级节点代码",
            f"工作表“节点”第 {motor_row} 行“上级节点代码”：上级节点“nev.mid.nowhere”不在“节点”工作表中",
        ),
        (
            "节点",
            parts_row,
            "行业小类",
            f"工作表“节点”第 {parts_row} 行“行业小类”：行业代码“9999”不存在于 GB/T 4754-2017",
        ),
        (
            "节点",
            dup_row,
            "节点代码",
            f"工作表“节点”第 {dup_row} 行“节点代码”："
            f"与第 {rows['nev.down.recycling'] + 1} 行是同一条记录，请删除重复行",
        ),
        (
            "供应关系",
            cycle_row,
            "需求方节点代码",
            f"工作表“供应关系”第 {cycle_row} 行“需求方节点代码”：供应关系形成循环："
            "nev.down.vehicle → nev.up.material.cathode → nev.mid.battery → nev.down.vehicle",
        ),
        (
            "供应关系",
            ghost_row,
            "需求方节点代码",
            f"工作表“供应关系”第 {ghost_row} 行“需求方节点代码”：需求方节点“nev.ghost”不在“节点”工作表中",
        ),
    ]
    assert job.message.startswith("发现 5 行有错误，未导入任何数据")
    assert state(nev) == before


def test_a_loop_of_parents_and_a_fourth_level_are_refused(chains, run_import):
    nev = chains["nev"]
    before = state(nev)
    sheets = sheets_of(exports.chain_xlsx(chain=nev))
    nodes = sheets["节点"]
    nodes.append(["nev.x", "nev.y", "中游", "甲", "", "", "", "", ""])
    nodes.append(["nev.y", "nev.x", "中游", "乙", "", "", "", "", ""])
    nodes.append(["nev.deep", "nev.up.material.cathode", "上游", "第四级", "", "", "", "", ""])
    n = len(nodes)

    job = run_import(workbook(sheets))

    assert [(e["row"], e["message"].split("：", 1)[1]) for e in job.errors] == [
        (n - 2, "上级节点形成循环：nev.x → nev.y → nev.x"),
        (n - 1, "上级节点形成循环：nev.y → nev.x → nev.y"),
        (n, "节点超过 3 级：nev.up → nev.up.material → nev.up.material.cathode → nev.deep"),
    ]
    assert state(nev) == before


def test_a_workbook_without_its_chain_sheet_or_from_a_town_is_refused(chains, run_import, users):
    nev = chains["nev"]
    before = state(nev)
    sheets = sheets_of(exports.chain_xlsx(chain=nev))
    job = run_import(workbook({k: v for k, v in sheets.items() if k != "产业链"}))
    assert job.status == "failed"
    assert "工作表“产业链”不存在" in job.message
    job = run_import(exports.chain_xlsx(chain=nev), actor=users["diankou"])
    assert (job.status, job.message) == ("failed", "只有系统管理员和投资促进中心可以导入产业链")
    assert state(nev) == before


def test_template_download_and_the_editor_button(chains, client, users):
    client.force_login(users["center"])
    response = client.get(reverse("imports:import_template", args=["chains"]))
    data = b"".join(response.streaming_content)
    assert [r[0] for r in sheets_of(data).values()] == [
        ["节点代码", "上级节点代码", "环节", "节点名称", "说明", "行业小类", "关键词", "全国重点企业", "节点责任单位"],
        ["供应方节点代码", "需求方节点代码"],
        ["产业链代码", "产业链名称", "类型", "说明", "牵头单位"],
    ]
    page = client.get(reverse("chains:chain_edit", args=[chains["nev"].pk])).content.decode()
    assert 'data-testid="chain-import-xlsx"' in page
    assert reverse("imports:import_template", args=["chains"]) in page
