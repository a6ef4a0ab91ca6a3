"""The one exception the parser raises: a Chinese message that names the file."""


class ParseError(Exception):
    """A file could not be turned into text; ``str(error)`` is a message for the user."""

    def __init__(self, message: str, *, name: str = ""):
        super().__init__(message)
        self.message = message
        self.name = name

    def __str__(self) -> str:
        return self.message

    @classmethod
    def unreadable(cls, name: str, reason: str) -> "ParseError":
        return cls(f"无法读取文件 {name}：{reason}", name=name)

    @classmethod
    def empty(cls, name: str) -> "ParseError":
        return cls(f"文件 {name} 没有文字内容", name=name)

    @classmethod
    def scanned(cls, name: str) -> "ParseError":
        return cls(
            f"{name} 是扫描件（没有文字层），暂不支持 OCR，请提供文字版 PDF、Word 或 TXT 文件",
            name=name,
        )
