"""Parse tier conditions (`when`) and derived values (`avg(a, b)`) into a small AST; never evaluate text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

OPS = (">=", "<=", "==", ">", "<")
KEYWORDS = {"and", "or", "true", "false"}
FUNCTIONS = {"avg"}

_TOKEN = re.compile(
    r"(?P<space>\s+)|(?P<number>-?\d+(?:\.\d+)?(?![\w.]))|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>>=|<=|==|>|<)|(?P<punct>[(),])"
)

ThresholdValue = Decimal | bool | str


class GrammarError(ValueError):
    """The text is not a valid condition or derived expression; the message says where (Chinese)."""

    def __init__(self, text: str, position: int, problem: str) -> None:
        self.text = text
        self.position = position
        self.problem = problem
        super().__init__(f"表达式“{text}”第{position + 1}个字符处{problem}")


@dataclass(frozen=True)
class Token:
    kind: str  # number, name, op, punct, end
    text: str
    position: int


@dataclass(frozen=True)
class Comparison:
    """`key op value`; value is a Decimal (number), a bool, or an option key (str)."""

    key: str
    op: str
    value: ThresholdValue
    position: int


@dataclass(frozen=True)
class Conjunction:
    """Comparisons joined by `and`: all must hold."""

    comparisons: tuple[Comparison, ...]


@dataclass(frozen=True)
class Condition:
    """Conjunctions joined by `or`: one must hold (`and` binds tighter, no parentheses)."""

    alternatives: tuple[Conjunction, ...]

    def comparisons(self) -> tuple[Comparison, ...]:
        """Return every comparison, in text order."""
        return tuple(c for alt in self.alternatives for c in alt.comparisons)


@dataclass(frozen=True)
class Derived:
    """`function(arg, ...)`; only avg is defined."""

    function: str
    args: tuple[str, ...]


def tokenize(text: str) -> list[Token]:
    """Split text into tokens, ending with an `end` token; raise GrammarError on any other character."""
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise GrammarError(text, position, f"有无法识别的字符“{text[position]}”")
        if match.lastgroup != "space":
            tokens.append(Token(match.lastgroup or "", match.group(), position))
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    """Recursive descent over a token list."""

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise GrammarError(str(text), 0, "不是文本")
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += min(1, len(self.tokens) - 1 - self.index)  # never step past the end token
        return token

    def fail(self, token: Token, expected: str) -> GrammarError:
        found = "表达式结尾" if token.kind == "end" else f"“{token.text}”"
        return GrammarError(self.text, token.position, f"应为{expected}，实为{found}")

    def is_word(self, word: str) -> bool:
        token = self.peek()
        return token.kind == "name" and token.text == word

    def name(self, what: str) -> Token:
        token = self.take()
        if token.kind != "name" or token.text in KEYWORDS:
            raise self.fail(token, what)
        return token

    def condition(self) -> Condition:
        if self.peek().kind == "end":
            raise GrammarError(self.text, 0, "条件为空")
        alternatives = [self.conjunction()]
        while self.is_word("or"):
            self.take()
            alternatives.append(self.conjunction())
        token = self.peek()
        if token.kind != "end":
            if token.kind == "punct" and token.text in "()":
                raise GrammarError(self.text, token.position, "不支持括号")
            raise self.fail(token, "and、or 或表达式结尾")
        return Condition(tuple(alternatives))

    def conjunction(self) -> Conjunction:
        comparisons = [self.comparison()]
        while self.is_word("and"):
            self.take()
            comparisons.append(self.comparison())
        return Conjunction(tuple(comparisons))

    def comparison(self) -> Comparison:
        key = self.name("输入项名称")
        op = self.take()
        if op.kind != "op":
            raise self.fail(op, "比较运算符（>=、>、<=、<、==）")
        return Comparison(key.text, op.text, self.value(), key.position)

    def value(self) -> ThresholdValue:
        token = self.take()
        if token.kind == "number":
            return Decimal(token.text)
        if token.kind == "name" and token.text in ("true", "false"):
            return token.text == "true"
        if token.kind == "name" and token.text not in KEYWORDS:
            return token.text
        raise self.fail(token, "数值、true/false 或选项名称")

    def derived(self) -> Derived:
        function = self.name("函数名（avg）")
        if function.text not in FUNCTIONS:
            raise GrammarError(self.text, function.position, f"有未知的函数“{function.text}”（只支持 avg）")
        self.punct("(")
        args = [self.name("输入项名称").text]
        while self.peek().text == ",":
            self.take()
            args.append(self.name("输入项名称").text)
        self.punct(")")
        if self.peek().kind != "end":
            raise self.fail(self.peek(), "表达式结尾")
        return Derived(function.text, tuple(args))

    def punct(self, char: str) -> None:
        token = self.take()
        if token.kind != "punct" or token.text != char:
            raise self.fail(token, f"“{char}”")


@lru_cache(maxsize=4096)
def parse_when(text: str) -> Condition:
    """Parse a tier's `when` text into a Condition; raise GrammarError on bad text."""
    return _Parser(text).condition()


@lru_cache(maxsize=256)
def parse_derived(text: str) -> Derived:
    """Parse a `derived` expression such as `avg(a, b, c)`; raise GrammarError on bad text."""
    return _Parser(text).derived()
