"""Spanish templates for the demo texts, plus Spanish–English code-mixed ones.

`{emoji}`, `{meh}`, `{mad}` and `{link}` are shared slots filled by `labelops.demo.texts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

LANGUAGE: Final = "es"

SLOTS: Final[Mapping[str, tuple[str, ...]]] = {
    "name": (
        "Lucía",
        "Mateo",
        "Valentina",
        "Diego",
        "Camila",
        "Javi",
        "Sofía",
        "Andrés",
        "Carmen",
        "Pablo",
        "Daniela",
        "Hugo",
    ),
    # Only used after "en" / "por", so articles never contract.
    "place": ("el centro", "la plaza", "el barrio", "Villaverde", "Montealto", "el puerto"),
    "food": (
        "las empanadas",
        "la tortilla de patatas",
        "los tacos",
        "el ceviche",
        "las arepas",
        "el pan de plátano",
        "la paella",
        "el mole",
    ),
    "team": ("el Deportivo", "el Real Montealto", "nuestro equipo", "el Atlético Villaverde"),
    "when": ("hoy", "esta mañana", "esta noche", "este finde"),
    "day": ("mañana", "el sábado", "el viernes que viene", "este finde"),
    "topic": (
        "la maratón de la ciudad",
        "la feria del libro",
        "el mercadillo solidario",
        "el concierto del parque",
        "la limpieza de la playa",
        "el torneo de ajedrez",
    ),
    # Made-up or generic groups only; all masculine plural.
    "group": (
        "los del norte",
        "esos recién llegados",
        "los de Valdoria",
        "los del pueblo de arriba",
        "los zentarios",
        "los de la otra orilla",
    ),
    "insult": ("un chiste", "un cero a la izquierda", "un desastre", "una vergüenza", "lo peor"),
    "amount": ("500 €", "250 $", "200 USDT", "1.000 €", "0,5 BTC"),
    "number": ("10.000", "5.000", "50k", "1.000"),
}

TEMPLATES: Final[Mapping[str, tuple[str, ...]]] = {
    "none.no_violation": (
        "Por fin probé {food} en {place} {when}. Valió la pena la espera {emoji}",
        "Qué tráfico hay {when} por {place}, salgan con tiempo",
        "Partidazo {when}, {team} jugó increíble {emoji}",
        "Recordatorio: {topic} es {day}. ¡Nos vemos allí!",
        "Lleva lloviendo todo el día en {place}. Plan perfecto para quedarse leyendo {emoji}",
        "¡Feliz cumple, {name}! Que tengas un año increíble {emoji}",
        "¿Alguien tiene una buena receta para {food}? A mí siempre me sale fatal",
        "Decir que {group} son vagos es puro prejuicio. Juzguen a la gente por lo que hace, "
        "no por su origen.",
        "Otra vez mensajes de odio contra {group}. Así no somos, basta ya.",
        "Paseo con {name} por {place} {when}, hacía un tiempo perfecto {emoji}",
        "Gracias a los voluntarios que limpiaron {place} {when} {emoji}",
        "¿Quién viene conmigo {day}? Es {topic} y pinta genial {emoji}",
        "Abrieron un sitio nuevo en {place}: bueno, bonito y barato. Recomendadísimo {emoji}",
    ),
    "none.needs_context": (
        "Ah genial, {team} perdió otra vez. Qué sorpresa tan grande 🙃",
        "{name}, cuando te vea te mato 😂 ya sabes por qué",
        "{day} los vamos a destrozar, sin piedad 😤",
        "Wow {name}, qué gran trabajo como siempre. Todo un genio 🙄",
        "Otra reunión 'rápida' de tres horas. Me encanta mi vida",
        "Si {name} vuelve a traer {food} a la fiesta, me mudo de país",
        "jajaja {name} tú sabes lo que hiciste. Todo el grupo lo sabe 👀",
        "Claro, porque {topic} es lo más importante del mundo ahora mismo 🙃",
    ),
    "harass.insult": (
        "Nadie te soporta, {name}. Eres {insult} {mad}",
        "Vete ya, {name}, nadie te pidió tu opinión.",
        "Qué idiota eres, {name}. De verdad {mad}",
        "Cada comentario de {name} lo confirma: es {insult}.",
        "{name}, eres {insult} y todo el grupo lo sabe.",
        "Deja de publicar tonterías, {name}. Das vergüenza ajena {mad}",
        "Otra vez {name} haciendo el ridículo. Qué inútil 🤡",
    ),
    "harass.threat": (
        "Te vas a arrepentir de esto, {name}. Ya verás.",
        "Sigue hablando, {name}, y vas a ver lo que pasa.",
        "Sé por dónde te mueves, {name}. Nos vemos pronto.",
        "Cuídate las espaldas, {name}. Esto no se queda así.",
        "Vuelve a decir eso y vas a saber quién soy yo.",
        "Acuérdate de este día, {name}. Me las vas a pagar.",
        "Una publicación más sobre mí y te arrepientes {mad}",
    ),
    "hate.stereotype": (
        "{group} son todos unos vagos, lo sabe todo el mundo.",
        "Nunca contrates a {group}, no hacen nada bien.",
        "Típico. {group} siempre quejándose de todo {mad}",
        "Seamos sinceros, {group} no son tan listos como nosotros.",
        "Ya estamos: {group} lo han vuelto a estropear. Son todos iguales.",
        "A {group} no les puedes confiar dinero. Es así.",
        "¿Por qué {group} siempre hablan tan alto? Cero educación.",
    ),
    "hate.exclusion": (
        "{group} deberían volverse a su tierra.",
        "No queremos a {group} en {place}. Que se queden fuera.",
        "Que echen a {group} de este grupo. Así de simple.",
        "Hay que echar a {group} del mercado, lo arruinan todo.",
        "{group} no pintan nada aquí. Que se vayan.",
        "Los caseros en {place} no deberían alquilarles pisos a {group}.",
        "Ni un trabajo más para {group}. Que se vayan a otro lado.",
    ),
    "violence.glorification": (
        "Quien le dio una paliza a ese tipo anoche en {place} se merece una medalla 🔥",
        "Ese ataque fue lo mejor del año. Respeto total a quien lo hizo 🔥",
        "Por fin alguien se lo hizo pagar. Héroes, todos ellos.",
        "Los disturbios en {place} fueron preciosos. Que se repitan 🔥",
        "Digan lo que digan, el que quemó ese coche es una leyenda.",
        "La violencia es lo único que entienden. Orgulloso de quien lo hizo.",
        "Los que empezaron la pelea en el partido contra {team} son unos héroes",
    ),
    "self_harm.disclosure": (
        "Últimamente siento que quiero rendirme {meh}",
        "No sé ni para qué sigo intentándolo. Nada cambia {meh}",
        "Ya no puedo con todo. Hay días en que solo quiero desaparecer.",
        "Otra noche sin dormir. No sé cuánto tiempo más voy a aguantar así {meh}",
        "A veces pienso que todos estarían mejor sin mí.",
        "Sonrío en el trabajo todo el día, pero por dentro no siento nada.",
        "Nadie notaría si dejara de aparecer {meh}",
    ),
    "spam.spam": (
        "🔥 ¡Consigue {number} seguidores en 24 horas! 100% reales, entra en {link}",
        "SORTEO CRIPTO 🚀 las primeras 100 personas reciben {amount} gratis, info en {link}",
        "¡¡Gana {amount} al día desde casa sin experiencia!! {link}",
        "¿Follow por follow? Sígueme y te sigo al instante 💯 {link}",
        "¡¡Ofertas!! Relojes de marca al 90% solo hoy ➡️ {link}",
        "¿Quieres hacerte viral? Compra likes y visitas baratos en {link} 📈",
        "Escríbeme 'INFO' y entra al grupo de trading que gana {amount} a la semana 💰💰 {link}",
    ),
    "fraud.scam": (
        "Tu cuenta ha sido bloqueada por actividad sospechosa. "
        "Responde con tu contraseña para desbloquearla.",
        "Aviso de seguridad: verifica tu tarjeta en {link} en menos de 24 horas "
        "o cerraremos tu cuenta.",
        "¡Felicidades, {name}! Ganaste una tarjeta regalo de {amount}. "
        "Paga una pequeña comisión para reclamarla: {link}",
        "Hola, somos el equipo de soporte. Envíanos el código de 6 dígitos que te acabamos "
        "de mandar para arreglar tu cuenta.",
        "Tu paquete está retenido. Confirma tu dirección y los datos de tu tarjeta aquí: {link}",
        "Urgente: detectamos un inicio de sesión desde un dispositivo nuevo. "
        "Entra en {link} para no perder tu cuenta.",
        "Hola {name}, estoy atrapado en el extranjero y perdí la cartera. "
        "¿Me mandas {amount} a esta cuenta? Te lo devuelvo mañana",
    ),
}

MIXED_SLOTS: Final[Mapping[str, tuple[str, ...]]] = SLOTS

# Spanish–English code-switching, as bilingual posters write it.
MIXED_TEMPLATES: Final[Mapping[str, tuple[str, ...]]] = {
    "none.no_violation": (
        "Qué weekend tan chill en {place}, literally lo necesitaba {emoji}",
        "El game de {when} estuvo insane, {team} played so well {emoji}",
        "Ok pero el brunch en {place} está so good, tienen que ir {emoji}",
    ),
    "none.needs_context": (
        "Ay {name}, I swear que te voy a matar 😂 you know why",
        "Love that for me, otra reunión de tres horas 🙃",
    ),
    "harass.insult": (
        "{name} eres such a loser, nadie te aguanta {mad}",
        "What a clown, {name}. Nadie te preguntó 🤡",
    ),
    "harass.threat": (
        "Keep talking, {name}, y vas a ver lo que pasa.",
        "You'll regret this, {name}. Te lo juro.",
    ),
    "hate.stereotype": (
        "{group} siempre llegan tarde, it's literally their thing {mad}",
        "No offense, pero {group} no son muy smart que digamos.",
    ),
    "hate.exclusion": (
        "{group} should go back where they came from, aquí no los queremos.",
        "No queremos a {group} en el group chat, sorry not sorry.",
    ),
    "violence.glorification": (
        "El que empezó esa pelea en {place} is a legend 🔥 respect",
        "Ese ataque fue honestly lo mejor del año, whoever did it, respeto 🔥",
    ),
    "self_harm.disclosure": (
        "Lately siento que ya no puedo más {meh}",
        "Idk, ya no le veo sentido a nada. I'm so tired {meh}",
    ),
    "spam.spam": (
        "Free followers!! Consigue {number} en 24h 👉 {link}",
        "Crypto giveaway 🚀 gana {amount} hoy, solo haz click en {link}",
    ),
    "fraud.scam": (
        "Tu account está locked. Mándanos tu password para desbloquearla.",
        "Security alert: verifica tu tarjeta en {link} asap o pierdes tu cuenta.",
    ),
}
