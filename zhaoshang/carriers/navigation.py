from zhaoshang.core.navigation import MenuItem, register
from zhaoshang.core.roles import Cap

from .models import Carrier

register("carriers", MenuItem("全部载体", "carriers:carrier_list", capability=Cap.BUSINESS_VIEW))
for _kind, _label in Carrier.Kind.choices:
    register("carriers", MenuItem(_label, f"carriers:kind_{_kind}", capability=Cap.BUSINESS_VIEW))
register("carriers", MenuItem("招商地图", "carriers:map", capability=Cap.BUSINESS_VIEW))
register("carriers", MenuItem("要素匹配", "carriers:match", capability=Cap.BUSINESS_VIEW))
register("carriers", MenuItem("载体总览", "carriers:overview", capability=Cap.BUSINESS_VIEW))
register("carriers", MenuItem("登记载体", "carriers:carrier_add", capability=Cap.BUSINESS_CHANGE))
register("carriers", MenuItem("导入地块边界", "carriers:boundaries", capability=Cap.IMPORT))
register("system", MenuItem("载体库与地图设置", "carriers:settings", capability=Cap.MANAGE_SETTINGS))
