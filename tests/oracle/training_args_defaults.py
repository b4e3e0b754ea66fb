"""Oracle: the defaults of the installed transformers.TrainingArguments, as JSON.

Prints {field name: default} for every dataclass field, read from the class itself (not from an
instance, whose __post_init__ fills derived values), so hft's declared defaults can be compared.
"""
import dataclasses
import json

from transformers import TrainingArguments


def declared_default(field):
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return None


def main():
    defaults = {}
    for field in dataclasses.fields(TrainingArguments):
        value = declared_default(field)
        # Enum members (IntervalStrategy.NO, ...) print as their recipe spelling.
        defaults[field.name] = getattr(value, "value", value)
    print(json.dumps(defaults, default=str))


if __name__ == "__main__":
    main()
