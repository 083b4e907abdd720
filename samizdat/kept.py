"""A property worked out on first use and kept in the instance: functools.cached_property, without its lock.

Python 3.11's cached_property takes a lock on each first use, which is most of its cost: a build asks
tens of thousands of pages for their path, data and flags once each. Without the lock two threads may both
work a value out, and both get the same one (Python 3.12 dropped the lock for that reason).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from functools import cached_property as kept
else:

    class kept:
        def __init__(self, work: Callable[[Any], Any]) -> None:
            self.work = work
            self.name = work.__name__
            self.__doc__ = work.__doc__

        def __set_name__(self, owner: type, name: str) -> None:
            self.name = name

        def __get__(self, instance: object, owner: type | None = None) -> Any:
            if instance is None:
                return self
            # Into the instance's dictionary, which is found before this descriptor from then on (a frozen
            # dataclass's __setattr__ is not involved)
            value = instance.__dict__[self.name] = self.work(instance)
            return value
