"""Guards on the project's own configuration files."""

import re
import subprocess

import pytest
import yaml

from orchestration.settings import PROJECT_ROOT


class _NoDuplicateKeys(yaml.SafeLoader):
    """YAML keeps the last of two equal keys silently; in a dbt schema file that drops tests."""


def _mapping_without_duplicates(loader, node, deep=False):
    keys = [loader.construct_object(key, deep=deep) for key, _ in node.value]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise yaml.constructor.ConstructorError(
            None, None, f"duplicate keys {duplicates}", node.start_mark
        )
    return loader.construct_mapping(node, deep)


_NoDuplicateKeys.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)

YAML_FILES = subprocess.run(
    ["git", "ls-files", "*.yml", "*.yaml"], cwd=PROJECT_ROOT, capture_output=True, text=True
).stdout.split()


@pytest.mark.parametrize("path", YAML_FILES)
def test_yaml_file_has_no_duplicate_keys(path):
    with (PROJECT_ROOT / path).open(encoding="utf-8") as handle:
        yaml.load(handle, _NoDuplicateKeys)


def test_duplicate_keys_are_caught():
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate keys"):
        yaml.load("columns: []\ncolumns: []\n", _NoDuplicateKeys)


ARCHITECTURE = PROJECT_ROOT / "docs" / "architecture.md"


def test_the_architecture_page_names_only_paths_that_exist():
    # Every `path/` or `file.py` the page cites in a table exists, relative to the repository or
    # to orchestration/ (the table of orchestration/'s own modules).
    cited = re.findall(r"^\| `([^`]+)`", ARCHITECTURE.read_text(encoding="utf-8"), flags=re.M)
    parts = [part.strip(" `") for row in cited for part in row.split(",")]
    paths = [part for part in parts if "/" in part or "." in part]  # not the dbt step names
    missing = [
        path
        for path in paths
        if not (PROJECT_ROOT / path).exists()
        and not (PROJECT_ROOT / "orchestration" / path).exists()
    ]
    assert paths and not missing


def test_the_architecture_page_names_every_part_of_orchestration():
    # A module or folder added to orchestration/ without a row on the page fails here.
    page = ARCHITECTURE.read_text(encoding="utf-8")
    parts = [
        path.name + ("/" if path.is_dir() else "")
        for path in (PROJECT_ROOT / "orchestration").iterdir()
        if path.name != "__init__.py" and not path.name.startswith("__pycache__")
    ]
    assert [part for part in parts if f"`{part}" not in page] == []
