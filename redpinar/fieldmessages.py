"""The portal's own words for values a field cannot read, where WTForms would answer in English
(its catalogue is off: WTF_I18N_ENABLED is False, so every message is ours and translated with the rest)."""
from flask_babel import lazy_gettext as _l

NOT_A_DATE = _l("Escriba una fecha válida: día, mes y año.")
NOT_A_DATE_AND_TIME = _l("Escriba una fecha y una hora válidas: día, mes, año, hora y minutos.")
NOT_A_WHOLE_NUMBER = _l("Escriba un número entero, sin letras ni decimales.")
NOT_A_CHOICE = _l("Elija una de las opciones de la lista.")
