"""The Spanish (and English) words the generator builds its documents from.

Only data lives here, so that bench/generate.py stays about how documents are put together.
Pairs are (Spanish, English); a topic slug follows where a phrase belongs to one topic.
"""

FIRST_NAMES = (
    "Yanelis", "Yoandry", "Dayana", "Osmany", "Yusleidy", "Maikel", "Arianna", "Reinier", "Lisandra",
    "Yordanis", "Marisleidys", "Alexis", "Odalys", "Raúl", "Mercedes", "Ernesto", "Yamilé", "Leonardo",
    "Daimí", "Frank", "Idania", "Rolando", "Yudith", "Adrián", "Mayelín", "Carlos", "Niurka", "Pedro",
    "Zoila", "Jorge", "Belkis", "Dariel", "Tania", "Orlando", "Yaquelín", "Rubén",
)
SURNAMES = (
    "Pérez", "González", "Rodríguez", "Hernández", "García", "Martínez", "López", "Díaz", "Fernández",
    "Sánchez", "Álvarez", "Cabrera", "Valdés", "Suárez", "Rojas", "Acosta", "Ramírez", "Torres",
    "Castillo", "Morales", "Cruz", "Gutiérrez", "Reyes", "Herrera", "Medina", "Quintana", "Ferro",
    "Lorenzo", "Crespo", "Padrón", "Miranda", "Pimienta",
)
# nauta.cu is the mail most Cubans have on their phone; the rest are less common.
MAIL_DOMAINS = ("nauta.cu",) * 6 + ("gmail.com", "gmail.com", "infomed.sld.cu", "yahoo.es")

STREETS = (
    "calle Martí", "calle Maceo", "calle Isabel Rubio", "calle Gerardo Medina", "calle Máximo Gómez",
    "avenida Rafael Ferro", "avenida Comandante Pinares", "carretera Central", "calle Antonio Rubio",
    "calle Virtudes", "calle Colón", "calle Ormani Arenado",
)
PLACES = (
    "la calle Martí", "la calle Maceo", "el reparto Hermanos Cruz", "el reparto Jagüey",
    "la avenida Rafael Ferro", "la carretera Central", "el barrio La Conchita", "la calle Isabel Rubio",
    "el consejo popular Cuba Libre", "la zona del hospital", "la parada de ómnibus del parque",
    "el reparto 10 de Octubre", "la bodega del barrio", "el policlínico", "la escuela primaria",
)
DURATIONS = ("varios días", "dos semanas", "más de un mes", "tres meses", "casi medio año", "más de un año")

# --- Submissions -------------------------------------------------------------------------

# (type, weight): complaints and requests are most of what a provincial government receives.
SUBMISSION_TYPES = (
    ("queja", 30), ("peticion", 25), ("pregunta", 15), ("sugerencia", 12), ("opinion", 10), ("denuncia", 8),
)
PROBLEMS = (
    ("un salidero de agua", "vivienda"), ("la falta de alumbrado público", "vivienda"),
    ("un bache grande en la vía", "transporte"), ("la recogida irregular de la basura", "salud"),
    ("el bajo voltaje en la zona", "economia"), ("la falta de medicamentos en la farmacia", "salud"),
    ("la poca frecuencia de los ómnibus", "transporte"), ("un microvertedero en la esquina", "salud"),
    ("la demora en la entrega de materiales de construcción", "vivienda"),
    ("el mal estado del techo de la escuela", "educacion"), ("el ruido de un bar por las noches", "recreacion"),
    ("la falta de agua potable", "vivienda"), ("la demora de un trámite de pensión", "programas-sociales"),
    ("el cierre del círculo social", "recreacion"), ("la falta de iluminación en el estadio", "deportes"),
)
IRREGULARITIES = (
    ("la venta ilegal de combustible", "economia"), ("un cobro indebido por un trámite", "servicios-juridicos"),
    ("el vertimiento de desechos en el río", "salud"), ("una construcción sin licencia", "vivienda"),
    ("el acaparamiento de productos en la bodega", "economia"), ("la reventa de pasajes", "transporte"),
    ("el maltrato a una persona mayor", "programas-sociales"), ("la tala de árboles sin permiso", "vivienda"),
)
IMPROVEMENTS = (
    ("ampliar el horario de la oficina de trámites", "servicios-juridicos"),
    ("poner más ómnibus en la ruta hacia la cabecera", "transporte"),
    ("crear un parque infantil en el reparto", "recreacion"),
    ("publicar en el portal los horarios de la farmacia", "salud"),
    ("organizar una feria agropecuaria los sábados", "economia"),
    ("abrir un taller de computación para personas mayores", "educacion"),
    ("reparar la pista de atletismo del combinado deportivo", "deportes"),
    ("recuperar las noches de trova en la casa de cultura", "cultura"),
)
SERVICES = (
    ("la atención en el policlínico", "salud"), ("el servicio de ómnibus intermunicipal", "transporte"),
    ("la oficina del registro civil", "servicios-juridicos"), ("la nueva sala de navegación", "cultura"),
    ("el mercado agropecuario", "economia"), ("el comedor del sistema de atención a la familia", "programas-sociales"),
    ("la oficina de trámites de pasaporte", "migracion"), ("la biblioteca municipal", "cultura"),
)
QUESTIONS = (
    ("qué documentos necesito para cambiar mi dirección", "servicios-juridicos"),
    ("cuándo abre la matrícula del preuniversitario", "educacion"),
    ("dónde puedo solicitar el subsidio para materiales de construcción", "vivienda"),
    ("cuánto demora la renovación del pasaporte", "migracion"),
    ("a quién me dirijo por un error en mi libreta de abastecimiento", "economia"),
    ("qué requisitos hay para la pensión por edad", "programas-sociales"),
    ("cómo inscribo a mi hijo en la escuela de deportes", "deportes"),
)
SUBJECTS = {
    "queja": ("{Problem} en {place}", "Queja por {problem}"),
    "peticion": ("Solicito solución para {problem}", "Petición: {problem} en {place}"),
    "denuncia": ("Denuncia de {irregularity}", "{Irregularity} en {place}"),
    "sugerencia": ("Propuesta: {improvement}", "Sugerencia para {improvement}"),
    "opinion": ("Opinión sobre {service}", "Valoración de {service}"),
    "pregunta": ("¿{Question}?", "Consulta: {question}"),
}
CORE_SENTENCES = {
    "queja": "Desde hace {duration} tenemos {problem} en {place}, {municipality}, y nadie ha venido a resolverlo.",
    "peticion": "Les escribo para pedir que se atienda {problem} en {place}, {municipality}, "
                "que nos afecta desde hace {duration}.",
    "denuncia": "Quiero denunciar {irregularity}, que ocurre en {place}, {municipality}, desde hace {duration}.",
    "sugerencia": "Me gustaría proponer {improvement}; en {municipality} muchas personas lo agradecerían.",
    "opinion": "Quiero dar mi opinión sobre {service} en {municipality}, que utilizo desde hace {duration}.",
    "pregunta": "Tengo una duda: ¿{question}? Pregunté en {place}, {municipality}, y no me supieron responder.",
}
OPENINGS = (
    "Buenos días.", "Buenas tardes, compañeros.", "Estimados compañeros del gobierno provincial:",
    "Saludos.", "Hola, buenas.",
)
CONTEXT_SENTENCES = (
    "Esta situación afecta sobre todo a las personas mayores y a las familias con niños pequeños.",
    "Los vecinos ya lo planteamos en la reunión del consejo popular, pero no hubo resultado.",
    "Entiendo las dificultades actuales, pero creo que con poco se podría mejorar mucho.",
    "He llamado por teléfono varias veces a la entidad y nunca contestan.",
    "Puedo aportar fotos y los nombres de otros vecinos que están en la misma situación.",
    "En otros municipios de la provincia ya se resolvió algo parecido y funcionó bien.",
    "Les agradecería que me dijeran al menos en qué plazo se puede esperar una respuesta.",
    "Vivo cerca de la bodega del barrio y paso por allí todos los días.",
    "Ya fui personalmente a la oficina y me dijeron que volviera la semana siguiente.",
    "No es la primera vez que escribo sobre este asunto.",
)
CLOSINGS = ("Muchas gracias por su atención.", "Quedo a la espera de su respuesta.", "Gracias de antemano.",
            "Saludos cordiales.")

# --- Published content -------------------------------------------------------------------

NEWS_SUBJECTS = (
    ("la campaña de vacunación", "the vaccination campaign", "salud"),
    ("la reparación de viales", "the road repairs", "transporte"),
    ("la cosecha de tabaco", "the tobacco harvest", "economia"),
    ("el nuevo curso escolar", "the new school year", "educacion"),
    ("la feria agropecuaria", "the farmers' fair", "economia"),
    ("el programa de viviendas", "the housing programme", "vivienda"),
    ("la rehabilitación del acueducto", "the water supply works", "vivienda"),
    ("el festival de música campesina", "the country music festival", "cultura"),
    ("la jornada de donación de sangre", "the blood donation day", "salud"),
    ("el servicio de ómnibus intermunicipal", "the intermunicipal bus service", "transporte"),
    ("la atención a las personas mayores", "care for older people", "programas-sociales"),
    ("los juegos deportivos escolares", "the school sports games", "deportes"),
    ("la temporada de verano", "the summer season", "recreacion"),
    ("la actualización de documentos de viaje", "travel document renewals", "migracion"),
    ("las consultas jurídicas gratuitas", "the free legal advice sessions", "servicios-juridicos"),
)
NEWS_HEADLINES = (
    ("Comienza {subject} en {municipality}", "{Subject} begins in {municipality}"),
    ("Avanza {subject} en {municipality}", "Progress on {subject} in {municipality}"),
    ("Concluye {subject} en {municipality}", "{Subject} ends in {municipality}"),
    ("{municipality} se prepara para {subject}", "{municipality} gets ready for {subject}"),
    ("Nuevas medidas para {subject} en {municipality}", "New measures for {subject} in {municipality}"),
    ("Vecinos de {municipality} valoran {subject}", "Residents of {municipality} assess {subject}"),
)
NEWS_SUMMARIES = (
    ("El gobierno municipal de {municipality} informa sobre {subject} y los próximos pasos.",
     "The municipal government of {municipality} reports on {subject} and the next steps."),
    ("Autoridades y vecinos de {municipality} analizaron {subject} en una reunión abierta.",
     "Officials and residents of {municipality} discussed {subject} at an open meeting."),
    ("Fechas, lugares y a quién dirigirse sobre {subject} en {municipality}.",
     "Dates, places and whom to contact about {subject} in {municipality}."),
)
BODY_PARAGRAPHS = (
    "Según informó la dirección municipal, {subject} en {municipality} avanza según lo previsto y se "
    "espera concluir la primera etapa antes de fin de mes.",
    "Los interesados pueden acudir de lunes a viernes, de 8:00 a 16:00, a la sede del gobierno municipal, "
    "donde se les atenderá por orden de llegada.",
    "Durante la reunión se explicó que la prioridad son las familias con personas mayores, embarazadas o "
    "niños pequeños, y que cada caso se estudia por separado.",
    "La población puede enviar sus preguntas y sugerencias a través del portal; la respuesta llegará en el "
    "plazo que fija la ley.",
    "Se recuerda que todos los trámites relacionados son gratuitos y que nadie debe cobrar por ellos.",
    "En las próximas semanas se publicará en este portal el calendario detallado por consejo popular.",
)
ENTITY_KINDS = (
    ("Dirección Municipal de Salud", "DMS", "salud"),
    ("Dirección Municipal de Educación", "DME", "educacion"),
    ("Dirección Municipal de Trabajo y Seguridad Social", "DMTSS", "programas-sociales"),
    ("Dirección Municipal de la Vivienda", "DMV", "vivienda"),
    ("Oficina del Registro Civil", "RC", "servicios-juridicos"),
    ("Oficina de Trámites de Identidad y Migración", "OTIM", "migracion"),
    ("Unidad Empresarial de Transporte", "UET", "transporte"),
    ("Casa de Cultura", "CC", "cultura"),
    ("Combinado Deportivo", "CD", "deportes"),
    ("Dirección Municipal de Economía y Planificación", "DMEP", "economia"),
    ("Unidad Municipal de Recreación", "UMR", "recreacion"),
)
PROCEDURE_SUBJECTS = (
    ("certificado de nacimiento", "a birth certificate", "servicios-juridicos"),
    ("certificado de matrimonio", "a marriage certificate", "servicios-juridicos"),
    ("licencia de construcción", "a building permit", "vivienda"),
    ("subsidio para materiales de construcción", "a building materials subsidy", "vivienda"),
    ("cambio de domicilio", "a change of address", "servicios-juridicos"),
    ("pasaporte", "a passport", "migracion"),
    ("carné de identidad", "an identity card", "migracion"),
    ("licencia para trabajo por cuenta propia", "a self-employment licence", "economia"),
    ("beca universitaria", "a university grant", "educacion"),
    ("matrícula en la enseñanza técnica", "technical school enrolment", "educacion"),
    ("pensión por edad", "an old-age pension", "programas-sociales"),
    ("prestación de asistencia social", "social assistance", "programas-sociales"),
    ("licencia de conducción", "a driving licence", "transporte"),
    ("turno en consulta especializada", "a specialist appointment", "salud"),
    ("reserva de instalación deportiva", "a sports facility booking", "deportes"),
    ("autorización de actividad cultural", "a cultural event permit", "cultura"),
)
PROCEDURE_TITLES = (
    ("Solicitud de {subject}", "Applying for {subject}"),
    ("Renovación de {subject}", "Renewing {subject}"),
    ("Duplicado de {subject}", "Replacing {subject}"),
)
REQUIREMENTS = (
    "Ser mayor de 18 años o venir acompañado de madre, padre o tutor.",
    "Residir en el municipio donde se presenta la solicitud.",
    "No tener deudas pendientes con la entidad.",
    "Presentar la solicitud en persona o mediante representante autorizado.",
)
DOCUMENTS = (
    "Carné de identidad vigente.", "Sellos del timbre por el valor indicado.", "Dos fotos de 2 x 2 cm.",
    "Certificado de nacimiento original.", "Declaración jurada firmada.", "Documento que acredite la vivienda.",
)
STEPS = (
    "Presente los documentos en la oficina que le corresponde.",
    "Reciba el comprobante con el número de su solicitud.",
    "Espere la llamada o el aviso de la oficina.",
    "Recoja el documento en la misma oficina con su carné de identidad.",
)
TIMES_TO_RESOLVE = ("En el acto", "5 días hábiles", "15 días hábiles", "30 días naturales")
LEGAL_BASES = ("Decreto-Ley 322 de 2014", "Resolución 15 de 2021", "Ley 105 de Seguridad Social",
               "Decreto 349 de 2018", "Ley 1289 Código de Familia")
EVENT_KINDS = (
    ("Feria del libro", "Book fair", "culture", "cultura"),
    ("Festival de la canción campesina", "Country song festival", "culture", "cultura"),
    ("Exposición de artes plásticas", "Art exhibition", "culture", "cultura"),
    ("Noche de trova", "Trova night", "culture", "cultura"),
    ("Torneo de béisbol", "Baseball tournament", "sports", "deportes"),
    ("Maratón popular", "Popular marathon", "sports", "deportes"),
    ("Campeonato de ajedrez", "Chess championship", "sports", "deportes"),
    ("Carnaval", "Carnival", "entertainment", "recreacion"),
    ("Fiesta de la cultura campesina", "Country culture festival", "entertainment", "recreacion"),
    ("Verbena popular", "Street party", "entertainment", "recreacion"),
)
EVENT_PLACES = ("Casa de Cultura", "Estadio municipal", "Parque central", "Sala polivalente", "Plaza del pueblo",
                "Biblioteca municipal", "Cine municipal", "Museo municipal")
