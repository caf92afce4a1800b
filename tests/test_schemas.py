"""Schema coverage: each construct walked to IR, then generated, imported and type-checked."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from schema_specs import (
    COVERAGE_30,
    COVERAGE_31,
    INTEGER,
    STRING,
    WEIRD_ENUM_VALUES,
    document,
    models_of,
    obj,
    ref,
    walk_document,
)
from support import import_package

from generator import ir
from generator.cli import generate_files
from generator.config import Config
from generator.write import write_files

STR = ir.PrimitiveType(kind="str")
INT = ir.PrimitiveType(kind="int")
ANY = ir.PrimitiveType(kind="any")


def named(name: str) -> ir.NamedType:
    return ir.NamedType(name=name)


def fields_of(model: ir.AnyModel) -> dict[str, ir.Field]:
    assert isinstance(model, ir.Model), model
    return {field.wire_name: field for field in model.fields}


def generate_package(root: Path, spec: dict[str, Any], package: str) -> tuple[Path, ModuleType]:
    root.mkdir(parents=True, exist_ok=True)
    spec_path = root / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    generation = generate_files(str(spec_path), Config(package_name=package))
    output = root / "sdk"
    write_files(output, generation.files, generation.user_owned)
    return output, import_package(output / "src", package)


@pytest.fixture(scope="module")
def cov31(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ModuleType]:
    return generate_package(tmp_path_factory.mktemp("cov31"), COVERAGE_31, "coverage_modern")


@pytest.fixture(scope="module")
def cov30(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ModuleType]:
    return generate_package(tmp_path_factory.mktemp("cov30"), COVERAGE_30, "coverage_legacy")


@pytest.fixture(scope="module")
def types31(cov31: tuple[Path, ModuleType]) -> ModuleType:
    return __import__("coverage_modern.types", fromlist=["_"])


def parse(types: ModuleType, alias: str, module: str, data: Any) -> Any:
    alias_module = __import__(f"{types.__name__}.{module}", fromlist=["_"])
    return getattr(alias_module, f"parse_{module}")(data)


# -- allOf -----------------------------------------------------------------------------


def test_all_of_ref_plus_properties_merges_fields(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {
            "Base": obj({"id": STRING, "kind": STRING}, ["id"]),
            "Derived": {"allOf": [ref("Base"), obj({"extra": INTEGER}, ["extra"])]},
        },
    )
    fields = fields_of(models["Derived"])

    assert list(fields) == ["id", "kind", "extra"]
    assert [fields[name].required for name in fields] == [True, False, True]
    assert fields["id"].pointer == "#/components/schemas/Base/properties/id"


def test_all_of_required_listed_in_another_branch(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {
            "Pair": {
                "allOf": [
                    {"type": "object", "properties": {"a": STRING, "b": STRING}},
                    {"required": ["a", "b"]},
                ]
            }
        },
    )

    assert isinstance(models["Pair"], ir.Model)
    assert all(field.required for field in models["Pair"].fields)
    assert set(models) == {"Pair"}


def test_all_of_later_definition_replaces_earlier(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {
            "Base": obj({"kind": STRING}),
            "Over": {"allOf": [ref("Base"), {"properties": {"kind": INTEGER}}]},
        },
    )

    assert fields_of(models["Over"])["kind"].type == INT


def test_all_of_wrapper_is_the_wrapped_type(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {
            "Base": obj({"id": STRING}),
            "Holder": obj({"wrapped": {"allOf": [ref("Base")], "description": "Wrapped."}}),
        },
    )
    wrapped = fields_of(models["Holder"])["wrapped"]

    assert wrapped.type == named("Base")
    assert wrapped.description == "Wrapped."
    assert set(models) == {"Base", "Holder"}


def test_all_of_inline_property_hoisted_once(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {
            "Base": obj({"meta": obj({"x": STRING})}),
            "One": {"allOf": [ref("Base"), obj({"a": STRING})]},
            "Two": {"allOf": [ref("Base"), obj({"b": STRING})]},
        },
    )

    assert fields_of(models["One"])["meta"].type == fields_of(models["Two"])["meta"].type
    assert [name for name in models if name.endswith("Meta")] == ["BaseMeta"]


# -- unions ----------------------------------------------------------------------------

PETS = {
    "Cat": obj({"pet_type": STRING, "meow": {"type": "boolean"}}, ["pet_type"]),
    "Dog": obj({"pet_type": STRING, "bark": {"type": "boolean"}}, ["pet_type"]),
}


def test_union_discriminator_with_mapping(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {
            **PETS,
            "Pet": {
                "oneOf": [ref("Cat"), ref("Dog")],
                "discriminator": {
                    "propertyName": "pet_type",
                    "mapping": {"kitty": "#/components/schemas/Cat", "doggo": "Dog"},
                },
            },
        },
    )
    pet = models["Pet"]

    assert isinstance(pet, ir.AliasModel)
    assert pet.target == ir.UnionType(
        variants=(named("Cat"), named("Dog")),
        discriminator=ir.Discriminator(
            wire_name="pet_type", mapping=(("doggo", "Dog"), ("kitty", "Cat"))
        ),
    )


def test_union_discriminator_without_mapping_uses_component_names(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {
            **PETS,
            "Pet": {
                "oneOf": [ref("Cat"), ref("Dog")],
                "discriminator": {"propertyName": "pet_type"},
            },
        },
    )
    target = models["Pet"].target  # type: ignore[union-attr]

    assert target.discriminator == ir.Discriminator(
        wire_name="pet_type", mapping=(("Cat", "Cat"), ("Dog", "Dog"))
    )


def test_union_discriminator_without_mapping_prefers_const_values(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {
            "Sys": obj({"role": {"type": "string", "enum": ["system"]}}, ["role"]),
            "Usr": obj({"role": {"const": "user"}}, ["role"]),
            "Msg": {"oneOf": [ref("Sys"), ref("Usr")], "discriminator": {"propertyName": "role"}},
        },
    )
    target = models["Msg"].target  # type: ignore[union-attr]

    assert target.discriminator.mapping == (("system", "Sys"), ("user", "Usr"))


def test_union_stainless_const_tag_inferred(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {
            "Text": obj(
                {
                    "type": {"type": "string", "enum": ["text"], "x-stainless-const": True},
                    "text": STRING,
                }
            ),
            "Image": obj({"type": {"const": "image"}, "url": STRING}),
            "Block": {"anyOf": [ref("Text"), ref("Image")]},
        },
    )
    target = models["Block"].target  # type: ignore[union-attr]

    assert target.discriminator == ir.Discriminator(
        wire_name="type", mapping=(("image", "Image"), ("text", "Text"))
    )
    assert fields_of(models["Text"])["type"].default_json == '"text"'


def _stream_events() -> dict[str, Any]:
    def event(tag: str, **properties: Any) -> dict[str, Any]:
        return obj({"event": {"type": "string", "enum": [tag]}, **properties}, ["event"])

    return {
        "RunEvent": {
            "oneOf": [event("run.created", run_id=STRING), event("run.failed", reason=STRING)]
        },
        "MessageEvent": {"oneOf": [event("message.created", text=STRING)]},
        "DoneEvent": event("done"),
        "ErrorEvent": event("error", message=STRING),
        "StreamEvent": {
            "oneOf": [ref("RunEvent"), ref("MessageEvent"), ref("DoneEvent"), ref("ErrorEvent")]
        },
    }


def test_union_of_tagged_unions_maps_leaf_tags(tmp_path: Path) -> None:
    models = models_of(tmp_path, _stream_events())
    target = models["StreamEvent"].target  # type: ignore[union-attr]

    assert target.discriminator is not None
    assert target.discriminator.wire_name == "event"
    tags = dict(target.discriminator.mapping)
    assert tags["done"] == "DoneEvent"
    assert tags["error"] == "ErrorEvent"
    assert {"run.created", "run.failed", "message.created"} <= set(tags)
    assert tags["run.created"] != tags["run.failed"]


def test_union_of_tagged_unions_parses_by_leaf_tag(tmp_path: Path) -> None:
    _, package = generate_package(tmp_path, document(_stream_events()), "nested_unions")
    types = __import__("nested_unions.types", fromlist=["_"])

    failed = parse(types, "StreamEvent", "stream_event", {"event": "run.failed", "reason": "x"})
    created = parse(types, "StreamEvent", "stream_event", {"event": "message.created", "text": "t"})

    assert failed.reason == "x"
    assert created.text == "t"
    assert failed.to_dict() == {"event": "run.failed", "reason": "x"}
    assert package.__name__ == "nested_unions"


def test_union_without_common_const_has_no_tag(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {
            "A": obj({"kind": {"const": "a"}}),
            "B": obj({"other": {"const": "b"}}),
            "AB": {"oneOf": [ref("A"), ref("B")]},
        },
    )

    assert models["AB"].target.discriminator is None  # type: ignore[union-attr]


def test_union_of_primitives_and_objects(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {
            "Base": obj({"id": STRING}),
            "Mixed": {"oneOf": [STRING, INTEGER, ref("Base"), {"type": "null"}]},
        },
    )

    assert models["Mixed"].target == ir.NullableType(  # type: ignore[union-attr]
        inner=ir.UnionType(variants=(STR, INT, named("Base")))
    )


def test_union_tagged_parse_picks_by_tag(types31: ModuleType) -> None:
    dog = parse(types31, "PetMapped", "pet_mapped", {"pet_type": "doggo", "bark": True})
    cat = parse(types31, "PetImplicit", "pet_implicit", {"pet_type": "Cat", "meow": True})

    assert type(dog) is types31.Dog
    assert type(cat) is types31.Cat


def test_union_unknown_tag_kept_as_data(types31: ModuleType) -> None:
    data = {"pet_type": "parrot", "squawk": True}

    assert parse(types31, "PetMapped", "pet_mapped", data) == data


def test_union_const_tag_picks_variant_not_first_fit(types31: ModuleType) -> None:
    # The image object also has every key the text variant requires; the tag decides.
    image = parse(
        types31, "ContentBlock", "content_block", {"type": "image", "url": "u", "text": "t"}
    )

    assert type(image) is types31.ImageBlock
    assert image.to_dict() == {"type": "image", "url": "u", "text": "t"}


def test_union_without_tag_picks_by_keys_not_order(types31: ModuleType) -> None:
    # `Loose` comes first and accepts anything; `Strict` declares both keys.
    strict = parse(types31, "LooseFirst", "loose_first", {"a": "x", "b": 1})
    loose = parse(types31, "LooseFirst", "loose_first", {"a": "x"})
    by_url = parse(types31, "Source", "source", {"url": "https://x", "name": "n"})

    assert type(strict) is types31.Strict
    assert type(loose) is types31.Loose
    assert type(by_url) is types31.UrlRef


def test_union_without_tag_checks_value_kinds(types31: ModuleType) -> None:
    # `b` contains a string, which `Strict` does not allow, so `Loose` keeps it as unknown.
    loose = parse(types31, "LooseFirst", "loose_first", {"a": "x", "b": "not an int"})

    assert type(loose) is types31.Loose
    assert loose.to_dict() == {"a": "x", "b": "not an int"}


def test_union_string_or_array_of_unions(types31: ModuleType) -> None:
    text = parse(types31, "StringOrBlocks", "string_or_blocks", "plain")
    blocks = parse(
        types31,
        "StringOrBlocks",
        "string_or_blocks",
        [{"type": "text", "text": "t"}, {"type": "image", "url": "u"}],
    )

    assert text == "plain"
    assert [type(block) for block in blocks] == [types31.TextBlock, types31.ImageBlock]


def test_array_of_unions(types31: ModuleType) -> None:
    blocks = parse(types31, "BlockList", "block_list", [{"type": "image", "url": "u"}])

    assert type(blocks[0]) is types31.ImageBlock


def test_union_skips_variant_for_python(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {
            "Hinted": obj(
                {"choice": {"oneOf": [STRING, {"type": "integer", "x-stainless-skip": ["python"]}]}}
            )
        },
    )

    assert fields_of(models["Hinted"])["choice"].type == STR


# -- nullable --------------------------------------------------------------------------


def test_nullable_31_forms(tmp_path: Path) -> None:
    sdk = walk_document(tmp_path, COVERAGE_31)
    models = {model.name: model for model in sdk.models}
    fields = fields_of(models["Nullables"])

    assert fields["type_list"].type == ir.NullableType(inner=STR)
    assert fields["one_of_null"].type == ir.NullableType(inner=named("Base"))
    assert fields["enum_with_null"].type == ir.NullableType(inner=named("NullablesEnumWithNull"))
    assert fields["ref_to_nullable"].type == ir.NullableType(inner=named("NullableStatus"))
    assert fields["const_value"].type == ir.LiteralType(values=("fixed",))
    assert [member.value for member in models["NullableStatus"].members] == ["on", "off"]  # type: ignore[union-attr]


def test_nullable_30_forms(tmp_path: Path) -> None:
    sdk = walk_document(tmp_path, COVERAGE_30)
    models = {model.name: model for model in sdk.models}
    fields = fields_of(models["Nullables30"])

    assert fields["plain"].type == ir.NullableType(inner=STR)
    assert fields["ref_sibling"].type == ir.NullableType(inner=named("Base"))
    assert fields["nullable_enum"].type == ir.NullableType(inner=named("Nullables30NullableEnum"))
    assert fields["status"].type == ir.NullableType(inner=named("Status"))
    assert fields["when"].type == ir.NullableType(inner=ir.PrimitiveType(kind="datetime"))


def test_nullable_fields_accept_null(types31: ModuleType, cov30: tuple[Path, ModuleType]) -> None:
    types30 = __import__("coverage_legacy.types", fromlist=["_"])
    model31 = types31.Nullables.from_dict(
        {"type_list": None, "ref_to_nullable": None, "one_of_null": None}
    )
    model30 = types30.Nullables30.from_dict({"plain": None, "status": None, "ref_sibling": None})

    assert model31.type_list is None
    assert model31.one_of_null is None
    assert model31.to_dict() == {"type_list": None, "ref_to_nullable": None, "one_of_null": None}
    assert model30.to_dict() == {"plain": None, "status": None, "ref_sibling": None}


# -- const and enums -------------------------------------------------------------------


def test_enum_member_names_invented_and_unique(types31: ModuleType) -> None:
    weird = types31.Weird
    names = [member.name for member in weird]

    assert [member.value for member in weird] == WEIRD_ENUM_VALUES
    assert len(set(names)) == len(names)
    assert all(name.isidentifier() and not name.startswith("_") for name in names)
    assert weird("+").name == "PLUS_SIGN"
    assert weird("a b").name == "A_B"
    assert weird("A B").name == "A_SPACE_B"
    assert weird("asc").name == "ASC"
    assert weird("ASC").name == "ASC_2"
    assert weird("").name == "EMPTY"
    assert weird("1st").name.startswith("VALUE_")


def test_enum_wire_values_byte_for_byte(types31: ModuleType) -> None:
    for value in WEIRD_ENUM_VALUES:
        assert types31.Weird(value).value == value
        assert types31.Weird(value).value.encode() == value.encode()


def test_integer_enum_deduplicates(tmp_path: Path) -> None:
    models = models_of(tmp_path, {"Numbers": {"type": "integer", "enum": [1, 2, -3, 1]}})
    numbers = models["Numbers"]

    assert isinstance(numbers, ir.EnumModel)
    assert numbers.base == "int"
    assert [(m.py_name, m.value) for m in numbers.members] == [
        ("VALUE_1", 1),
        ("VALUE_2", 2),
        ("VALUE_MINUS_3", -3),
    ]


def test_mixed_and_float_enums_become_literals(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {"Mixed": {"enum": ["a", 1, True]}, "Floats": {"type": "number", "enum": [0.5, 1.5]}},
    )

    assert models["Mixed"].target == ir.LiteralType(values=("a", 1, True))  # type: ignore[union-attr]
    assert models["Floats"].target == ir.PrimitiveType(kind="float")  # type: ignore[union-attr]


def test_enum_rename_map_and_descriptions(
    types31: ModuleType, cov31: tuple[Path, ModuleType]
) -> None:
    source = (cov31[0] / "src" / "coverage_modern" / "types" / "described.py").read_text(
        encoding="utf-8"
    )

    assert types31.Renamed.FIRST.value == "1"
    assert types31.Renamed.SECOND.value == "2"
    assert not hasattr(types31.Renamed, "LISTED")
    assert '"""Runs slowly."""' in source
    assert 'Runs "fast" \\\\ hot.' in source


def test_unknown_enum_value_kept(types31: ModuleType) -> None:
    model = types31.Nullables.from_dict({"type_list": "a", "ref_to_nullable": "dimmed"})

    assert model.ref_to_nullable == "dimmed"
    assert model.to_dict()["ref_to_nullable"] == "dimmed"


# -- recursion -------------------------------------------------------------------------


def test_recursive_models_parse_deeply(types31: ModuleType) -> None:
    tree = types31.TreeNode.from_dict(
        {"value": "root", "children": [{"value": "leaf", "children": []}]}
    )
    alpha = types31.Alpha.from_dict({"beta": {"alpha": {"name": "inner"}, "size": 2}})

    assert type(tree.children[0]) is types31.TreeNode
    assert type(alpha.beta) is types31.Beta
    assert type(alpha.beta.alpha) is types31.Alpha


def test_mutually_recursive_modules_import_alone(cov31: tuple[Path, ModuleType]) -> None:
    src = cov31[0] / "src"
    for module in ("alpha", "beta", "tree_node", "json_value"):
        code = f"import coverage_modern.types.{module} as m; print(m.__name__)"
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=src, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr


# -- additionalProperties, free-form objects -------------------------------------------


def test_additional_properties_forms(tmp_path: Path) -> None:
    sdk = walk_document(tmp_path, COVERAGE_31)
    models = {model.name: model for model in sdk.models}

    assert models["FreeForm"].target == ir.MapType(value=ANY)  # type: ignore[union-attr]
    assert models["StringMap"].target == ir.MapType(value=STR)  # type: ignore[union-attr]
    assert models["BaseMap"].target == ir.MapType(value=named("Base"))  # type: ignore[union-attr]
    assert models["TypedExtras"].additional == named("Base")  # type: ignore[union-attr]
    assert models["Closed"].additional is None  # type: ignore[union-attr]
    assert models["OpenTrue"].additional is None  # type: ignore[union-attr]


def test_typed_extras_converted_and_kept(types31: ModuleType) -> None:
    data = {"name": "n", "first": {"id": "1"}}
    model = types31.TypedExtras.from_dict(data)

    assert type(model._extra["first"]) is types31.Base
    assert model.to_dict() == data


def test_closed_object_still_keeps_unknown_keys(types31: ModuleType) -> None:
    data = {"name": "n", "surprise": [1]}

    assert types31.Closed.from_dict(data).to_dict() == data


# -- formats ---------------------------------------------------------------------------


def test_formats_to_ir(tmp_path: Path) -> None:
    sdk = walk_document(tmp_path, COVERAGE_31)
    fields = fields_of(next(m for m in sdk.models if m.name == "Formats"))

    assert fields["created_at"].type == ir.PrimitiveType(kind="datetime")
    assert fields["day"].type == ir.PrimitiveType(kind="date")
    assert fields["big"].type == INT
    assert fields["blob"].type == ir.PrimitiveType(kind="bytes")
    assert fields["encoded"].type == STR
    assert fields["uid"].type == STR


def test_date_time_keeps_timezone_and_text(types31: ModuleType) -> None:
    data = {
        "created_at": "2024-01-02T03:04:05.123456789+05:30",
        "day": "2024-02-29",
        "big": 2**63 - 1,
        "history": ["2024-01-02T03:04:05Z"],
        "maybe_at": None,
    }
    model = types31.Formats.from_dict(data)

    assert isinstance(model.created_at, datetime)
    assert model.created_at.utcoffset() == timedelta(hours=5, minutes=30)
    assert model.created_at.microsecond == 123456
    assert model.day == date(2024, 2, 29)
    assert model.history[0].tzinfo == timezone.utc
    assert model.big == 9223372036854775807
    assert model.to_dict() == data


def test_date_time_set_by_user_serialized_iso(types31: ModuleType) -> None:
    moment = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
    model = types31.Formats(created_at=moment, day=date(2024, 5, 6), big=1)

    assert model.to_dict() == {
        "created_at": "2024-05-06T07:08:09+00:00",
        "day": "2024-05-06",
        "big": 1,
    }


def test_unparseable_date_time_kept_as_text(types31: ModuleType) -> None:
    data = {"created_at": "yesterday", "day": "2024-13-45", "big": 1}
    model = types31.Formats.from_dict(data)

    assert model.created_at == "yesterday"
    assert model.to_dict() == data


def test_binary_in_json_model_is_text(cov31: tuple[Path, ModuleType]) -> None:
    source = (cov31[0] / "src" / "coverage_modern" / "types" / "formats.py").read_text(
        encoding="utf-8"
    )

    assert "blob: str | None = None" in source
    assert "created_at: datetime" in source


# -- defaults, readOnly/writeOnly, deprecated ------------------------------------------


def test_defaults_fit_or_dropped(tmp_path: Path) -> None:
    sdk = walk_document(tmp_path, COVERAGE_31)
    fields = fields_of(next(m for m in sdk.models if m.name == "Defaults"))

    assert fields["limit"].default_json == "20"
    assert fields["tags"].default_json == '["a", "b"]'
    assert fields["mode"].default_json == '"slow"'
    assert fields["wrong"].default_json is None
    assert fields["kind"].default_json == '"defaults"'


def test_defaults_never_shared(types31: ModuleType) -> None:
    first = types31.Defaults()
    second = types31.Defaults()
    first.tags.append("c")
    first.meta["k"] = "v"
    first.loose.append(2)

    assert second.tags == ["a", "b"]
    assert second.meta == {}
    assert second.loose == [1, "a", None]
    assert second.loose_map == {"a": 1}
    assert first.limit == 20
    assert first.mode is types31.DefaultsMode.SLOW
    assert first.kind == "defaults"
    assert first.level == 3


def test_defaults_not_applied_to_parsed_data(types31: ModuleType) -> None:
    data = {"kind": "defaults", "level": 1}
    model = types31.Defaults.from_dict(data)

    assert model.limit is None
    assert model.tags is None
    assert model.to_dict() == data


def test_read_only_and_write_only(tmp_path: Path, types31: ModuleType) -> None:
    sdk = walk_document(tmp_path, COVERAGE_31)
    fields = fields_of(next(m for m in sdk.models if m.name == "Account"))
    create = next(
        op for r in sdk.resources for op in r.operations if op.operation_id == "createAccount"
    )
    assert create.body is not None

    assert fields["id"].read_only
    assert fields["password"].write_only
    assert [param.wire_name for param in create.body.fields] == ["password", "name"]
    # The server never sends a write-only property, so parsing does not require it.
    assert types31.Account.from_dict({"id": "1", "name": "n"}).password is None


def test_deprecated_model_warns_on_construction(
    types31: ModuleType, cov31: tuple[Path, ModuleType]
) -> None:
    source = (cov31[0] / "src" / "coverage_modern" / "types" / "old_thing.py").read_text(
        encoding="utf-8"
    )

    with pytest.warns(DeprecationWarning, match="OldThing is deprecated"):
        types31.OldThing(name="x")
    assert "Deprecated." in source


def test_deprecated_field_warns_when_set(types31: ModuleType) -> None:
    with pytest.warns(DeprecationWarning, match="PartlyOld.legacy is deprecated"):
        types31.PartlyOld(legacy="x")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        types31.PartlyOld(name="fine")
        parsed = types31.PartlyOld.from_dict({"legacy": "from the server"})
        types31.OldThing.from_dict({"name": "from the server"})

    assert parsed.legacy == "from the server"


# -- names -----------------------------------------------------------------------------


def test_clashing_schema_names_get_numbers(tmp_path: Path) -> None:
    sdk = walk_document(tmp_path, COVERAGE_31)
    by_pointer = {model.pointer: model for model in sdk.models}

    assert by_pointer["#/components/schemas/FooBar"].name == "FooBar"
    assert by_pointer["#/components/schemas/foo-bar"].name == "FooBar2"
    assert by_pointer["#/components/schemas/foo_bar"].name == "FooBar3"
    assert len({model.module for model in sdk.models}) == len(sdk.models)


def test_colliding_field_names_keep_wire_names(types31: ModuleType) -> None:
    data = {
        "class": "c",
        "from": "f",
        "timeout": 1.5,
        "extra_headers": "h",
        "1st": "one",
        "object": "collisions",
        "list": ["l"],
        "field": "x",
        "dict": {"a": 1},
        "str": "s",
        "date": "2024-01-01",
        "Base": {"id": "b"},
        "from_dict": "fd",
        "x-y": "1",
        "x_y": "2",
    }
    model = types31.Collisions.from_dict(data)

    assert (model.class_, model.from_, model.timeout, model.extra_headers) == ("c", "f", 1.5, "h")
    assert model.field_1_st == "one"
    assert model.object == "collisions"
    assert model.list == ["l"]
    assert model.field == "x"
    assert model.dict == {"a": 1}
    assert model.str == "s"
    assert model.Base_.id == "b"
    assert model.from_dict_ == "fd"
    assert (model.x_y, model.x_y_2) == ("1", "2")
    assert model.to_dict() == data


def test_stainless_hints(tmp_path: Path) -> None:
    models = models_of(
        tmp_path,
        {
            "Hinted": obj(
                {
                    "kept": STRING,
                    "skipped": {"type": "string", "x-stainless-skip": True},
                    "go_only": {"type": "string", "x-stainless-skip": ["go"]},
                    "model_name": {
                        "type": "string",
                        "x-stainless-naming": {"python": {"property_name": "ai_model_name"}},
                    },
                    "anything": {
                        "type": "object",
                        "properties": {"a": STRING},
                        "x-stainless-any": True,
                    },
                }
            ),
            "Bad": {**obj({"a": STRING}), "x-stainless-naming": {"python": {"type_name": "Nice"}}},
        },
    )
    fields = fields_of(models["Hinted"])

    assert list(fields) == ["kept", "go_only", "model_name", "anything"]
    assert fields["model_name"].py_name == "ai_model_name"
    assert fields["anything"].type == ANY
    assert "Nice" in models
    assert "Bad" not in models


def test_parameters_use_schema_types(tmp_path: Path) -> None:
    sdk = walk_document(tmp_path, COVERAGE_31)
    get = next(op for r in sdk.resources for op in r.operations if op.operation_id == "getThing")
    params = {param.wire_name: param.type for param in get.params}

    assert params["status"] == ir.NullableType(inner=named("NullableStatus"))
    assert params["since"] == ir.PrimitiveType(kind="datetime")
    assert params["ids"] == ir.ListType(item=INT)
    assert params["mode"] == named("ThingsGetThingMode")
    assert get.response.type == named("ContentBlock")


# -- generated code checks -------------------------------------------------------------


@pytest.mark.parametrize("case", ["cov31", "cov30"])
def test_coverage_package_passes_mypy_strict(case: str, request: pytest.FixtureRequest) -> None:
    root, package = request.getfixturevalue(case)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            "/dev/null",
            package.__name__,
        ],
        cwd=root / "src",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", ["cov31", "cov30"])
def test_coverage_package_passes_ruff(case: str, request: pytest.FixtureRequest) -> None:
    root, _ = request.getfixturevalue(case)
    for extra in ([], ["--isolated"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", *extra, "src"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
