"""The config file and template overrides: every key checked, errors with lines, docs complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import REPO, SEED_SPEC

from generator import ir
from generator.cli import generate_files, main
from generator.config import OPERATION_KEYS, TOP_LEVEL_KEYS, Config, load_config
from generator.errors import SpecError
from generator.render import templates_dir

DOCS = REPO / "docs" / "configuration.md"


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sdkgen.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _generate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, *extra: str
) -> tuple[int, str, Path]:
    output = tmp_path / "out"
    capsys.readouterr()
    status = main(["generate", str(SEED_SPEC), "--output", str(output), *extra])
    return status, capsys.readouterr().err, output


def test_misspelled_key_exits_2_with_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path, "client_class: Runloop\npakage_name: runloop\n")
    status, err, output = _generate(capsys, tmp_path, "--config", str(config))
    assert status == 2
    assert (
        f"{config}:2:1: #/pakage_name: unknown config key 'pakage_name'; "
        "did you mean 'package_name'?" in err
    )
    assert "Traceback" not in err
    assert not output.exists()


def test_misspelled_operation_key_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path, "operations:\n  completeBenchmarkRun:\n    resouce: runs\n")
    status, err, _ = _generate(capsys, tmp_path, "--config", str(config))
    assert status == 2
    assert f"{config}:3:5: #/operations/completeBenchmarkRun/resouce:" in err
    assert "did you mean 'resource'?" in err


def test_operation_key_matching_nothing_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path, "operations:\n  completeBenchmarkRuns:\n    method: finish\n")
    status, err, output = _generate(capsys, tmp_path, "--config", str(config))
    assert status == 2
    assert f"{config}:2:3: #/operations/completeBenchmarkRuns:" in err
    assert "no operation in the spec has the operationId or route" in err
    assert "did you mean 'completeBenchmarkRun'?" in err
    assert not output.exists()


INVALID = {
    "package-name-with-dash": (
        "package_name: Runloop-Client\n",
        "1:15: #/package_name: invalid value for package_name: "
        "expected a lowercase Python identifier",
    ),
    "keyword-class-name": ("client_class: class\n", "1:15: #/client_class: invalid value"),
    "number-for-string": ("auth_env_var: 12\n", "1:15: #/auth_env_var: invalid value"),
    "empty-string": ("env_prefix: ''\n", "found an empty string"),
    "ftp-base-url": ("base_url: ftp://example.com\n", "1:11: #/base_url: invalid value"),
    "user-owned-not-a-list": (
        "user_owned_paths: lib\n",
        "1:19: #/user_owned_paths: invalid value for user_owned_paths: expected a list",
    ),
    "user-owned-escapes": (
        "user_owned_paths:\n  - src/lib\n  - ../outside\n",
        "3:5: #/user_owned_paths/1: invalid user-owned path '../outside'",
    ),
    "user-owned-absolute": ("user_owned_paths: [/etc]\n", "#/user_owned_paths/0: invalid"),
    "user-owned-whole-folder": ("user_owned_paths: [./]\n", "#/user_owned_paths/0: invalid"),
    "operations-not-a-mapping": ("operations: [a]\n", "1:13: #/operations: invalid value"),
    "operation-method-not-identifier": (
        "operations:\n  POST /v1/x:\n    method: not valid\n",
        "3:13: #/operations/POST ~1v1~1x/method: invalid method",
    ),
    "operation-resource-not-dotted": (
        "operations:\n  getPet:\n    resource: pets/owners\n",
        "3:15: #/operations/getPet/resource: invalid resource",
    ),
    "operation-empty": (
        "operations:\n  getPet: {}\n",
        "2:11: #/operations/getPet: expected a mapping with 'resource' and/or 'method', "
        "found an empty mapping",
    ),
    "templates-missing": ("templates: no-such-folder\n", "1:12: #/templates: template folder"),
    "not-a-mapping": ("- a\n- b\n", "1:1: #: config file must be a mapping"),
    "duplicate-key": (
        "package_name: a\nclient_class: B\npackage_name: c\n",
        "3:1: #/package_name: duplicate config key 'package_name'",
    ),
    "invalid-yaml": ("package_name: [unclosed\n", "2:1: #: config file is not valid YAML"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_config_is_located(tmp_path: Path, case: str) -> None:
    text, expected = INVALID[case]
    config = _config(tmp_path, text)
    with pytest.raises(SpecError) as raised:
        load_config(config)
    assert expected in str(raised.value)
    assert str(raised.value).startswith(f"{config}:")


def test_missing_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, err, _ = _generate(capsys, tmp_path, "--config", str(tmp_path / "nope.yaml"))
    assert status == 2
    assert "nope.yaml: #: cannot read config file: No such file or directory" in err


def test_empty_config_is_the_default(tmp_path: Path) -> None:
    assert load_config(_config(tmp_path, "# nothing set\n")) == Config()


def test_config_names_are_applied(tmp_path: Path) -> None:
    config = load_config(
        _config(
            tmp_path,
            "package_name: runloop\n"
            "project_name: runloop-sdk\n"
            "client_class: RunloopClient\n"
            "operations:\n"
            "  completeBenchmarkRun:\n"
            "    resource: benchmarks.runs\n"
            "    method: finish\n",
        )
    )
    files = generate_files(str(SEED_SPEC), config).files
    assert "src/runloop/_client.py" in files
    assert 'name = "runloop-sdk"' in files["pyproject.toml"]
    assert "class RunloopClient(" in files["src/runloop/_client.py"]
    assert "def finish(" in files["src/runloop/resources/benchmarks.py"]


def test_route_key_selects_an_operation(tmp_path: Path) -> None:
    config = load_config(
        _config(
            tmp_path, "operations:\n  post /v1/benchmark_runs/{id}/complete:\n    method: done\n"
        )
    )
    files = generate_files(str(SEED_SPEC), config).files
    assert "def done(" in files["src/runloop_api_client/resources/benchmark_runs.py"]


def _custom_model_template(folder: Path) -> Path:
    folder.mkdir(parents=True)
    builtin = (templates_dir() / "model.py.jinja").read_text(encoding="utf-8")
    lines = builtin.split("\n")
    header = lines.index("{{ header }}")
    lines.insert(header + 1, "# Rendered from a custom model template.")
    (folder / "model.py.jinja").write_text("\n".join(lines), encoding="utf-8")
    return folder


def _model_files(sdk: ir.Sdk) -> set[str]:
    return {
        f"src/{sdk.package}/types/{model.module}.py"
        for model in sdk.models
        if isinstance(model, ir.Model)
    }


def test_custom_template_changes_only_its_files(tmp_path: Path) -> None:
    templates = _custom_model_template(tmp_path / "templates")
    plain = generate_files(str(SEED_SPEC), Config())
    custom = generate_files(str(SEED_SPEC), Config(), str(templates))

    changed = {path for path in plain.files if plain.files[path] != custom.files[path]}
    assert set(custom.files) == set(plain.files)
    assert changed == _model_files(plain.sdk)
    assert changed
    for path in changed:
        assert "# Rendered from a custom model template." in custom.files[path]


def test_templates_key_is_relative_to_config(tmp_path: Path) -> None:
    _custom_model_template(tmp_path / "conf" / "my-templates")
    config = load_config(_config(tmp_path / "conf", "templates: my-templates\n"))
    plain = generate_files(str(SEED_SPEC), Config())
    custom = generate_files(str(SEED_SPEC), config)
    changed = {path for path in plain.files if plain.files[path] != custom.files[path]}
    assert changed == _model_files(plain.sdk)


def test_templates_option_overrides_config(tmp_path: Path) -> None:
    (tmp_path / "conf" / "empty").mkdir(parents=True)
    config = load_config(_config(tmp_path / "conf", "templates: empty\n"))
    templates = _custom_model_template(tmp_path / "option")
    plain = generate_files(str(SEED_SPEC), Config())
    custom = generate_files(str(SEED_SPEC), config, str(templates))
    changed = {path for path in plain.files if plain.files[path] != custom.files[path]}
    assert changed == _model_files(plain.sdk)


def test_missing_templates_folder_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err, output = _generate(capsys, tmp_path, "--templates", str(tmp_path / "nope"))
    assert status == 2
    assert f"--templates {tmp_path / 'nope'}: folder not found" in err
    assert not output.exists()


def test_broken_custom_template_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "model.py.jinja").write_text("{{ header }}\n{% for %}\n")
    status, err, output = _generate(capsys, tmp_path, "--templates", str(templates))
    assert status == 2
    assert f"{templates / 'model.py.jinja'}:2: #: template syntax error" in err
    assert "Traceback" not in err
    assert not output.exists()


def _documented_keys() -> set[str]:
    text = DOCS.read_text(encoding="utf-8")
    return set(re.findall(r"^#+ `([a-z_]+)`", text, flags=re.MULTILINE))


def test_docs_cover_every_key() -> None:
    documented = _documented_keys()
    assert set(TOP_LEVEL_KEYS) <= documented
    assert set(OPERATION_KEYS) <= documented
    assert documented <= set(TOP_LEVEL_KEYS) | set(OPERATION_KEYS)


def test_docs_examples_are_valid_configs(tmp_path: Path) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) >= len(TOP_LEVEL_KEYS)
    for index, block in enumerate(blocks):
        folder = tmp_path / f"example{index}"
        folder.mkdir()
        match = re.search(r"^templates: (\S+)$", block, flags=re.MULTILINE)
        if match:
            (folder / match.group(1)).mkdir(parents=True)
        config = load_config(_config(folder, block))
        assert config != Config(), block
