"""The main menu. Each domain app adds its entries from its AppConfig.ready(), so no shared file lists them.

Entries of the same `group` are shown as one drop-down menu (DSFR "menu déroulant"), in `order`; a group sits
where its first entry would. `description` feeds the home page's cards.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    login_required: bool = True
    group: str = ""
    description: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass
class NavGroup:
    label: str
    items: list[NavItem]


_items: dict[str, NavItem] = {}


def register(
    label: str,
    url_name: str,
    *,
    order: int,
    login_required: bool = True,
    group: str = "",
    description: str = "",
) -> None:
    _items[url_name] = NavItem(label, url_name, order, login_required, group, description)


def items_for(user) -> list[NavItem]:
    return sorted(
        (item for item in _items.values() if user.is_authenticated or not item.login_required),
        key=lambda item: item.order,
    )


def menu_for(user) -> list[NavItem | NavGroup]:
    """The menu: single entries and groups, in order."""
    entries: list[NavItem | NavGroup] = []
    groups: dict[str, NavGroup] = {}
    for item in items_for(user):
        if not item.group:
            entries.append(item)
        elif item.group in groups:
            groups[item.group].items.append(item)
        else:
            groups[item.group] = NavGroup(item.group, [item])
            entries.append(groups[item.group])
    return entries
