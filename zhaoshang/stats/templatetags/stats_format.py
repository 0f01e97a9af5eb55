from django import template

from zhaoshang.stats import formats

register = template.Library()
register.filter("amount", formats.amount)
register.filter("wan_yuan", formats.wan_yuan)
