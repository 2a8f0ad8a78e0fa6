"""Guards on the project's own configuration files."""

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
