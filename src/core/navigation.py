"""The main menu. Each domain app adds its entries from its AppConfig.ready(), so no shared file lists them."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    login_required: bool = True

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_items: dict[str, NavItem] = {}


def register(label: str, url_name: str, *, order: int, login_required: bool = True) -> None:
    _items[url_name] = NavItem(label, url_name, order, login_required)


def items_for(user) -> list[NavItem]:
    return sorted(
        (item for item in _items.values() if user.is_authenticated or not item.login_required),
        key=lambda item: item.order,
    )
