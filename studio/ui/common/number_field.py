"""Number fields that never change what was typed without saying so.

A plain QSpinBox drops a keystroke it cannot use ("1e9" becomes "19"), refuses the digit that
would pass its maximum (1000000000 becomes 100,000) and, when the text is out of range as the
field loses focus, quietly puts the old value back (epochs 0 becomes 200). :class:`IntField`
and :class:`FloatField` instead

- show their allowed range in the tooltip;
- take every keystroke, and while the text is not a number in the range draw a red frame and
  say why in their message label ("Epochs must be a whole number between 1 and 100,000.");
- on finishing (Return, focus out, an undo key) clamp a number outside the range to the
  nearest end, round it to what the field holds, or keep the old value for text that is no
  number, and say so in the message label ("Changed to 100,000: ...", "'abc' is not a
  number: Epochs stays at 200."). The note goes when the user types again or after
  :data:`NOTE_MS`.

Numbers are read with :class:`decimal.Decimal`, so "1e9", "1,000" (a group separator) and a
thousand-digit number are read as what they are, without overflow. The message label is the
field's own (:meth:`NumberField.message_label`, placed under the field by
:func:`add_number_row`) or one a panel shares between its fields
(:meth:`NumberField.use_message_label`).
"""

from __future__ import annotations

import html
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from PySide6 import QtGui
from PySide6.QtCore import QTimer
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QLabel, QSpinBox, QWidget

from studio.core.i18n import _
from studio.ui.common import theme

#: how long the note about a clamped or refused value stays (ms)
NOTE_MS = 10_000
#: the red frame of a field whose text is not a valid number
INVALID_STYLE = (f"QAbstractSpinBox {{ border: 2px solid {theme.SEVERITY_COLOURS['error']}; "
                 f"border-radius: 4px; }}")
_SHOWN_TEXT = 24    # a refused text is quoted up to this many characters


class NumberField:
    """What :class:`IntField` and :class:`FloatField` share (see the module docstring).

    ``whole``: the field holds whole numbers. Subclasses call :meth:`_init_field` once the
    spin box exists."""

    whole = True

    def _init_field(self, name: str) -> None:
        self.field_name = name
        self._message: QLabel | None = None
        self._shared_message = False
        self._problem = ""               # what is wrong with the text being typed
        self._note = ""                  # what happened to the last finished text
        self._note_text = ""             # the text the note is about (shown after it)
        self._base_tip = ""
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.timeout.connect(self.clear_message)
        self.lineEdit().textEdited.connect(self._on_text_edited)
        self.textChanged.connect(self._on_text_changed)     # the line edit's is blocked on setValue
        self.setToolTip("")

    # -- the range, said -------------------------------------------------------------------------
    def shown(self, value) -> str:
        """``value`` as this field writes it ("100,000", "0.9")."""
        return self.textFromValue(value)

    def bound(self, value) -> str:
        """A range end as people write it: "100,000", "0", "0.99", "1e-07"."""
        if self.whole:
            return self.shown(value)
        return f"{value:g}".replace(".", self.locale().decimalPoint())

    def range_text(self) -> str:
        """"Allowed: whole numbers from 1 to 100,000." for the tooltip."""
        lo, hi = self.bound(self.minimum()), self.bound(self.maximum())
        if self.whole:
            return _("Allowed: whole numbers from {lo} to {hi}.", lo=lo, hi=hi)
        return _("Allowed: {lo} to {hi}.", lo=lo, hi=hi)

    def rule_text(self) -> str:
        """"Epochs must be a whole number between 1 and 100,000." for the messages."""
        lo, hi = self.bound(self.minimum()), self.bound(self.maximum())
        if self.whole:
            return _("{name} must be a whole number between {lo} and {hi}.",
                     name=self.field_name, lo=lo, hi=hi)
        return _("{name} must be between {lo} and {hi}.", name=self.field_name, lo=lo, hi=hi)

    def setToolTip(self, text: str) -> None:
        """The tooltip given, and the allowed range under it."""
        self._base_tip = text or ""
        rng = self.range_text()
        if not self._base_tip:
            tip = rng
        elif _rich(self._base_tip):
            tip = f"{self._base_tip}<br>{html.escape(rng)}"
        else:
            tip = f"{self._base_tip}\n{rng}"
        super().setToolTip(tip)

    def setRange(self, lo, hi) -> None:
        super().setRange(lo, hi)
        if hasattr(self, "_note_timer"):
            self.setToolTip(self._base_tip)      # the range it states

    def setGroupSeparatorShown(self, on: bool) -> None:
        super().setGroupSeparatorShown(on)
        if hasattr(self, "_note_timer"):
            self.setToolTip(self._base_tip)

    # -- reading ---------------------------------------------------------------------------------
    def _number(self, text: str) -> Decimal | None:
        """The number in ``text`` (prefix, suffix, spaces and group separators ignored), or
        None for text that is not a finite number."""
        t = text
        if self.prefix() and t.startswith(self.prefix()):
            t = t[len(self.prefix()):]
        if self.suffix() and t.endswith(self.suffix()):
            t = t[:len(t) - len(self.suffix())]
        t = t.strip().replace(" ", "").replace("\u00a0", "").replace("_", "")
        loc = self.locale()
        group, point = loc.groupSeparator(), loc.decimalPoint()
        if self.whole:
            t = t.replace(group, "").replace(",", "")
        else:
            if point != ".":
                t = t.replace(group, "").replace(point, ".")
            elif "." in t:
                t = t.replace(",", "")           # 1,000.5
            else:
                t = t.replace(",", ".")          # 0,5 typed with a decimal comma
        if not t or len(t) > 1000:
            return None
        try:
            d = Decimal(t)
        except (InvalidOperation, ValueError):
            return None
        return d if d.is_finite() else None

    def _places(self) -> int:
        return 0 if self.whole else int(self.decimals())

    def _fit(self, d: Decimal) -> Decimal:
        """``d`` clamped to the range, then rounded to the field's decimals."""
        lo, hi = Decimal(str(self.minimum())), Decimal(str(self.maximum()))
        d = min(max(d, lo), hi)
        return d.quantize(Decimal(1).scaleb(-self._places()), rounding=ROUND_HALF_UP)

    def _value_of(self, d: Decimal):
        return int(d) if self.whole else float(d)

    def problem(self, text: str) -> str:
        """Why ``text`` cannot be the value as it is, or "" when it can."""
        d = self._number(text)
        if d is None:
            shown = text.strip()
            if not shown or shown in ("-", "+", ".", ","):
                return self.rule_text()
            return _("{text} is not a number.", text=self._quote(shown)) + " " + \
                self.rule_text()
        if self._fit(d) != d:
            lo, hi = Decimal(str(self.minimum())), Decimal(str(self.maximum()))
            if not self.whole and lo <= d <= hi:
                return _("{name} takes at most {n} decimals.", name=self.field_name,
                         n=self._places())
            return self.rule_text()
        return ""

    @staticmethod
    def _quote(text: str) -> str:
        if len(text) > _SHOWN_TEXT:
            text = text[:_SHOWN_TEXT - 1] + "…"
        return f"'{text}'"

    # -- the spin box's hooks ------------------------------------------------------------------
    def validate(self, text: str, pos: int):
        """Every keystroke is kept (never Invalid): text that is not a value yet is
        Intermediate, and the field says what is wrong with it."""
        return (QValidator.State.Intermediate if self.problem(text)
                else QValidator.State.Acceptable), text, pos

    def valueFromText(self, text: str):
        d = self._number(text)
        return self.value() if d is None else self._value_of(self._fit(d))

    def fixup(self, text: str) -> str:
        """Called when a finished text is not a value: a number becomes the nearest value
        the field holds, other text stays (the spin box then keeps its value); either way
        the field says what happened."""
        d = self._number(text)
        if d is None:
            self._note_text = self.prefix() + self.shown(self.value()) + self.suffix()
            self._announce(_("{text} is not a number: {name} stays at {value}.",
                             text=self._quote(text.strip()), name=self.field_name,
                             value=self.shown(self.value()))
                           if text.strip() else
                           _("{name} stays at {value}.", name=self.field_name,
                             value=self.shown(self.value())) + " " + self.rule_text())
            return text
        fitted = self._value_of(self._fit(d))
        fixed = self.prefix() + self.shown(fitted) + self.suffix()
        if self._fit(d) != d:
            self._note_text = fixed
            self._announce(_("Changed to {value}: {rule}", value=self.shown(fitted),
                             rule=self.problem(text)))
        return fixed

    # -- what the user sees ----------------------------------------------------------------------
    def message_label(self) -> QLabel:
        """The label the field writes its messages to (made on first use; hidden while there
        is nothing to say)."""
        if self._message is None:
            label = QLabel()
            label.setObjectName("fieldMessage")
            label.setWordWrap(True)
            label.hide()
            self._message = label
        return self._message

    def use_message_label(self, label: QLabel) -> None:
        """Write the messages to ``label``, shared with other fields (the inspector's)."""
        self._message = label
        self._shared_message = True

    def message(self) -> str:
        """The message shown now ("" when none)."""
        return self._problem or self._note

    def is_invalid(self) -> bool:
        """True while the text typed is not a value the field holds (the red frame)."""
        return bool(self._problem)

    def clear_message(self) -> None:
        """Remove the note about the last finished text (the timer's end)."""
        self._note = ""
        self._note_timer.stop()
        self._show()

    def reset_message(self) -> None:
        """Say nothing and drop the red frame (the field was hidden or shows another
        object now)."""
        self._problem = ""
        self.clear_message()

    def _announce(self, note: str) -> None:
        self._problem = ""
        self._note = note
        self._note_timer.start(NOTE_MS)
        self._show()

    def _on_text_edited(self, text: str) -> None:
        self._note = ""
        self._note_timer.stop()
        self._problem = self.problem(text)
        self._show()

    def _on_text_changed(self, text: str) -> None:
        if self._problem and not self.problem(text):     # set from outside, or put back
            self._problem = ""
            self._show()
        elif self._note and text != self._note_text:     # another value since (an undo)
            self.clear_message()

    def _show(self) -> None:
        invalid = bool(self._problem)
        if bool(self.property("invalid")) != invalid:
            self.setProperty("invalid", invalid)
            self.setStyleSheet(INVALID_STYLE if invalid else "")
        text = self.message()
        label = self._message
        if label is None and not text:
            return
        label = self.message_label()
        if self._shared_message and not text and getattr(label, "_owner", None) is not self:
            return              # another field's message: not ours to clear
        label._owner = self if text else None
        colour = theme.SEVERITY_COLOURS["error" if invalid else "warning"]
        label.setStyleSheet(f"color: {colour}; font-weight: 600;")
        label.setText(text)
        label.setVisible(bool(text))


class IntField(NumberField, QSpinBox):
    """A whole-number field (see the module docstring)."""

    whole = True

    def __init__(self, lo: int, hi: int, name: str, tip: str = "",
                 parent: QWidget | None = None) -> None:
        QSpinBox.__init__(self, parent)
        QSpinBox.setRange(self, lo, hi)
        self.setGroupSeparatorShown(True)        # 100,000: the digits are easy to count
        self._init_field(name)
        self.setToolTip(tip)


class FloatField(NumberField, QDoubleSpinBox):
    """A decimal-number field (see the module docstring)."""

    whole = False

    def __init__(self, lo: float, hi: float, name: str, tip: str = "", decimals: int = 2,
                 step: float = 0.1, parent: QWidget | None = None) -> None:
        QDoubleSpinBox.__init__(self, parent)
        QDoubleSpinBox.setDecimals(self, decimals)
        QDoubleSpinBox.setRange(self, lo, hi)
        self.setSingleStep(step)
        self._init_field(name)
        self.setToolTip(tip)


def add_number_row(form: QFormLayout, text: str, field: NumberField) -> None:
    """``text`` and ``field`` as a row of ``form``, the field's message in a row under it."""
    form.addRow(text, field)
    form.addRow(field.message_label())


def set_number_row_visible(form: QFormLayout, field: NumberField, on: bool) -> None:
    """Show or hide a row made by :func:`add_number_row` (a hidden field says nothing)."""
    form.setRowVisible(field, on)
    if not on:
        field.reset_message()


def _rich(text: str) -> bool:
    """Whether a tooltip is HTML (the glossary's "<b>Term</b>: ...")."""
    return bool(QtGui.Qt.mightBeRichText(text))
