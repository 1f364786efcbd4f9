"""The webmaster publishes images and PDF documents; uploads are checked by content, never trusted."""
import io
import json
import os
import struct
import zipfile
import zlib

import pytest
from flask import render_template_string
from PIL import Image
from werkzeug.datastructures import FileStorage

from redpinar.store import NotFound, media
from tests.conftest import make_app
from tests.participation_helpers import hidden_fields, log_in

ALT = "Vista del policlínico de Viñales"
CAMERA = "CamaraEspia 3000"
CACHED_AN_HOUR = "public, max-age=3600"
NOT_AN_IMAGE = "El archivo no es una imagen JPEG, PNG, WebP o GIF válida."
TOO_MANY_PIXELS = "La imagen es demasiado grande: tiene más de 40 megapíxeles."
NOT_A_PDF = "El archivo no es un documento PDF válido. Solo se publican documentos PDF."
FORMS = {
    "image": ("/admin/medios/imagenes", "imagen", "texto_alternativo"),
    "document": ("/admin/medios/documentos", "documento", "titulo"),
}


def upload(client, kind, payload, filename, text=ALT, content_type=None):
    """Send one of the two upload forms of the media page, the way a browser does."""
    action, prefix, text_field = FORMS[kind]
    data = hidden_fields(client.get("/admin/medios/").get_data(as_text=True))
    data[f"{prefix}-archivo"] = (io.BytesIO(payload), filename, content_type)
    data[f"{prefix}-{text_field}"] = text
    return client.post(action, data=data, content_type="multipart/form-data")


def published(app):
    """Everything the store holds, newest first."""
    with app.app_context():
        return list(media.list_media())


def uploaded_files(data_dir):
    """The names of the files in data/uploads/."""
    folder = os.path.join(data_dir, "uploads")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def assert_nothing_stored(app, data_dir):
    assert published(app) == []
    assert uploaded_files(data_dir) == []


def image_bytes(image_format="JPEG", size=(2000, 1500), mode="RGB", **options):
    """A picture made here: left half red, right half blue (so turning it shows)."""
    image = Image.new("RGB", size, "red")
    image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    if mode == "P":
        image = image.convert("P", palette=Image.Palette.ADAPTIVE, colors=2)
        if options.get("transparency") == "red":
            options["transparency"] = image.getpixel((0, 0))
    elif mode != "RGB":
        image = image.convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def photo_with_gps():
    """A camera JPEG: turned (orientation 6), with the camera's model and where it was taken."""
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was held upright
    exif[0x0110] = CAMERA  # model
    exif.get_ifd(0x8825).update({1: "N", 2: (22.0, 25.0, 1.5), 3: "W", 4: (83.0, 41.0, 52.0)})
    return image_bytes("JPEG", exif=exif.tobytes(), comment=b"tomada en casa de la vecina")


def png_declaring(width, height):
    """A tiny PNG whose header claims a huge picture (a decompression bomb)."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("factura.exe", b"MZ" + b"\0" * 200)
    return buffer.getvalue()


def pdf_bytes():
    """A real one-page PDF (made by Pillow)."""
    return image_bytes("PDF", size=(200, 100))


@pytest.fixture
def webmaster(app, client):
    """The test client, logged in as the webmaster."""
    log_in(app, client)
    return client


def test_photo_is_published_upright_without_gps_or_camera_data_at_three_widths(app, webmaster, data_dir):
    original = photo_with_gps()
    assert b"Exif" in original and CAMERA.encode() in original

    response = upload(webmaster, "image", original, "IMG_0001.JPG", content_type="image/jpeg")

    assert response.status_code == 303
    [item] = published(app)
    assert item["kind"] == "image" and item["alt"] == ALT
    assert item["original"] == {"bytes": len(original), "width": 1500, "height": 2000}
    assert [(file["width"], file["height"]) for file in item["files"]] == [(320, 427), (640, 853), (1024, 1365)]
    assert uploaded_files(data_dir) == sorted(file["name"] for file in item["files"])
    assert response.headers["Location"].endswith("/admin/medios/#medio-" + item["id"])
    visitor = app.test_client()
    for file in item["files"]:
        assert file["name"] == f"{item['id']}-{file['width']}.jpg"
        served = visitor.get(f"/medios/{file['name']}")
        assert served.status_code == 200
        assert served.mimetype == "image/jpeg"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert served.headers["Cache-Control"] == CACHED_AN_HOUR
        assert "attachment" not in served.headers.get("Content-Disposition", "")
        content = served.get_data()
        assert len(content) == file["bytes"]
        for trace in (b"Exif", CAMERA.encode(), b"vecina", b"http://ns.adobe.com/xap"):
            assert trace not in content
        with Image.open(io.BytesIO(content)) as stored:
            assert stored.format == "JPEG" and stored.info.get("progressive")
            assert not stored.getexif() and "exif" not in stored.info and "comment" not in stored.info
            assert stored.size == (file["width"], file["height"])
            # Turned a quarter to the right: the red left half is now on top.
            red, green, blue = stored.convert("RGB").getpixel((stored.width // 2, stored.height // 4))
            assert red > 200 and blue < 60
            red, green, blue = stored.convert("RGB").getpixel((stored.width // 2, 3 * stored.height // 4))
            assert blue > 200 and red < 60


def test_media_page_shows_public_addresses_and_a_ready_responsive_image(app, webmaster):
    upload(webmaster, "image", image_bytes(), "foto.jpg")
    [item] = published(app)
    page = webmaster.get("/admin/medios/").get_data(as_text=True)
    for file in item["files"]:
        assert f"http://localhost/medios/{file['name']}" in page
    snippet = (f"&lt;img src=&#34;/medios/{item['id']}-640.jpg&#34; srcset=&#34;/medios/{item['id']}-320.jpg 320w, "
               f"/medios/{item['id']}-640.jpg 640w, /medios/{item['id']}-1024.jpg 1024w&#34;")
    assert snippet in page
    assert "Medios</a>" in page


def test_responsive_image_macro_lets_the_browser_choose_the_smallest_file(app, webmaster):
    upload(webmaster, "image", image_bytes(), "foto.jpg", text='El "parque" <b>Martí</b>')
    [item] = published(app)
    with app.test_request_context("/"):
        html = render_template_string('{% from "macros.html" import responsive_image %}{{ responsive_image(item) }}',
                                      item=item)
    prefix = f"/medios/{item['id']}"
    assert html == (
        f'<img src="{prefix}-640.jpg" srcset="{prefix}-320.jpg 320w, {prefix}-640.jpg 640w, {prefix}-1024.jpg 1024w"'
        ' sizes="(max-width: 40rem) 100vw, 40rem" width="1024" height="768" loading="lazy" decoding="async"'
        ' alt="El &#34;parque&#34; &lt;b&gt;Martí&lt;/b&gt;">')


@pytest.mark.parametrize("image_format, mode, size, options, extension, widths", [
    ("PNG", "RGBA", (800, 400), {}, "png", [320, 640, 800]),
    ("PNG", "RGBA", (1200, 600), {}, "jpg", [320, 640, 1024]),  # alpha channel, but nothing transparent
    ("PNG", "P", (300, 300), {"transparency": "red"}, "png", [300]),
    ("WEBP", "RGB", (2000, 1000), {"quality": 80}, "jpg", [320, 640, 1024]),
    ("GIF", "P", (700, 350), {"save_all": True, "append_images": [Image.new("P", (700, 350))]}, "jpg", [320, 640, 700]),
    ("JPEG", "CMYK", (500, 250), {}, "jpg", [320, 500]),
    ("JPEG", "L", (160, 90), {}, "jpg", [160]),
])
def test_jpeg_png_webp_and_gif_are_accepted_never_upscaled_and_transparency_stays_png(
        app, webmaster, image_format, mode, size, options, extension, widths):
    payload = image_bytes(image_format, size, mode, **options)
    if image_format == "PNG" and mode == "RGBA" and extension == "png":
        with Image.open(io.BytesIO(payload)) as picture:
            picture = picture.copy()
        picture.putpixel((0, 0), (0, 0, 0, 0))
        buffer = io.BytesIO()
        picture.save(buffer, "PNG")
        payload = buffer.getvalue()

    assert upload(webmaster, "image", payload, "imagen.bin").status_code == 303

    [item] = published(app)
    assert [file["width"] for file in item["files"]] == widths
    for file in item["files"]:
        assert file["name"].endswith("." + extension)
        served = webmaster.get(f"/medios/{file['name']}")
        assert served.mimetype == ("image/png" if extension == "png" else "image/jpeg")
        with Image.open(io.BytesIO(served.get_data())) as stored:
            assert stored.format == ("PNG" if extension == "png" else "JPEG")
            assert stored.mode == ("RGBA" if extension == "png" else "RGB")


def test_image_without_alternative_text_is_refused(app, webmaster, data_dir):
    response = upload(webmaster, "image", image_bytes(), "foto.jpg", text="   ")
    assert response.status_code == 400
    assert "Escriba el texto alternativo" in response.get_data(as_text=True)
    assert_nothing_stored(app, data_dir)


def test_store_refuses_an_image_without_alternative_text_too(app, data_dir):
    with app.app_context(), pytest.raises(media.TextRequired):
        media.save_image(FileStorage(io.BytesIO(image_bytes()), "foto.jpg"), " \n ")
    assert_nothing_stored(app, data_dir)


def truncated_jpeg():
    whole = image_bytes("JPEG", (1200, 900), quality=95)
    return whole[:len(whole) // 2]


UPLOAD_CORPUS = {
    "php named .jpg": ("image", b"<?php system($_GET['c']); ?>\n", "foto.jpg", "image/jpeg", NOT_AN_IMAGE),
    "svg with a script": ("image", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)'
                                   b'</script></svg>', "logo.svg", "image/svg+xml", NOT_AN_IMAGE),
    "html named .png": ("image", b"<!doctype html><html><body><script>alert(1)</script></body></html>",
                        "plano.png", "image/png", NOT_AN_IMAGE),
    "png declaring 20000x20000": ("image", png_declaring(20000, 20000), "bomba.png", "image/png", TOO_MANY_PIXELS),
    "png declaring 48 megapixels": ("image", png_declaring(8000, 6000), "bomba.png", "image/png", TOO_MANY_PIXELS),
    "truncated jpeg": ("image", truncated_jpeg(), "cortada.jpg", "image/jpeg", NOT_AN_IMAGE),
    "bmp (not allowed)": ("image", image_bytes("BMP", (100, 100)), "foto.jpg", "image/jpeg", NOT_AN_IMAGE),
    "no file chosen": ("image", b"", "", None, "Elija la imagen que quiere subir."),
    "empty file": ("image", b"", "foto.jpg", "image/jpeg", "El archivo está vacío o no se envió."),
    "zip named .pdf": ("document", zip_bytes(), "factura.pdf", "application/pdf", NOT_A_PDF),
    "php named .pdf": ("document", b"<?php echo 'hola'; ?>", "bando.pdf", "application/pdf", NOT_A_PDF),
    "html named .pdf": ("document", b"<html><script>alert(1)</script></html>", "bando.pdf", "application/pdf",
                        NOT_A_PDF),
    "svg as a document": ("document", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                          "plano.svg", "image/svg+xml", NOT_A_PDF),
    "pdf header on html": ("document", b"%PDF-1.4\n<html><script>alert(1)</script></html>", "bando.pdf",
                           "application/pdf", NOT_A_PDF),
    "jpeg as a document": ("document", image_bytes(), "bando.pdf", "application/pdf", NOT_A_PDF),
}


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow warns; the store refuses
@pytest.mark.parametrize("case", UPLOAD_CORPUS, ids=list(UPLOAD_CORPUS))
def test_hostile_or_broken_uploads_are_refused_with_a_clear_message_and_nothing_is_stored(
        app, webmaster, data_dir, case):
    kind, payload, filename, content_type, message = UPLOAD_CORPUS[case]
    response = upload(webmaster, kind, payload, filename, content_type=content_type)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'class="error-summary"' in page
    assert_nothing_stored(app, data_dir)


class FiftyMegabytes:
    """A 50 MB request body that is never made, and counts how much of it the server reads."""

    size = 50 * 1024 * 1024

    def __init__(self):
        self.position = 0
        self.bytes_read = 0

    def tell(self):
        return self.position

    def seek(self, offset, whence=0):
        self.position = {0: 0, 1: self.position, 2: self.size}[whence] + offset
        return self.position

    def read(self, size=-1):
        size = min(self.size - self.position, 64 * 1024 if size is None or size < 0 else size)
        self.position += size
        self.bytes_read += size
        return b"\0" * size

    readline = read


def test_a_50_mb_upload_gets_a_clear_413_page_before_being_read(app, webmaster, data_dir):
    body = FiftyMegabytes()
    response = webmaster.post("/admin/medios/imagenes", input_stream=body,
                              content_type="multipart/form-data; boundary=limite")
    assert response.status_code == 413
    assert "Envío demasiado grande" in response.get_data(as_text=True)
    assert body.bytes_read == 0
    assert_nothing_stored(app, data_dir)


def test_files_over_media_max_bytes_are_refused(data_dir):
    app = make_app(data_dir, MEDIA_MAX_BYTES=1024)
    client = app.test_client()
    log_in(app, client)
    response = upload(client, "document", pdf_bytes() + b"%" * 2048 + b"\n%%EOF\n", "bando.pdf")
    assert response.status_code == 400
    assert "El archivo pesa más de 1 KB, el máximo permitido." in response.get_data(as_text=True)
    assert_nothing_stored(app, data_dir)


def test_a_small_pdf_is_published_and_always_downloaded(app, webmaster, data_dir):
    original = pdf_bytes()
    response = upload(webmaster, "document", original, "Bando 12.pdf", text="Bando sobre el ciclón Óscar")
    assert response.status_code == 303
    [item] = published(app)
    assert item["kind"] == "document" and item["title"] == "Bando sobre el ciclón Óscar"
    assert item["files"] == [{"name": item["id"] + ".pdf", "bytes": len(original), "type": "application/pdf"}]
    assert item["schema"] == 1 and item["created"] == item["updated"]

    served = app.test_client().get(f"/medios/{item['id']}.pdf")
    assert served.status_code == 200
    assert served.get_data() == original
    assert served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"] == "attachment; filename=bando-sobre-el-ciclon-oscar.pdf"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Cache-Control"] == CACHED_AN_HOUR
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert uploaded_files(data_dir) == [item["id"] + ".pdf"]
    assert item["id"] + ".pdf" in webmaster.get("/admin/medios/").get_data(as_text=True)


def test_files_shown_to_the_logged_in_webmaster_stay_out_of_shared_caches(app, webmaster):
    # The webmaster's responses carry the session cookie; a proxy must never hand it to others.
    upload(webmaster, "image", image_bytes(), "foto.jpg")
    [item] = published(app)
    served = webmaster.get(f"/medios/{item['files'][0]['name']}")
    assert served.status_code == 200
    assert served.headers["Cache-Control"] == "private, max-age=3600"


def test_media_json_holds_each_item_as_a_stamped_document(app, webmaster, data_dir):
    upload(webmaster, "document", pdf_bytes(), "a.pdf", text="Primero")
    upload(webmaster, "image", image_bytes(), "b.jpg")
    with open(os.path.join(data_dir, "media.json"), encoding="utf-8") as handle:
        documents = list(json.load(handle)["_default"].values())
    assert [document["kind"] for document in documents] == ["document", "image"]
    for document in documents:
        assert {"id", "kind", "files", "original", "created", "updated", "schema"} <= set(document)
    newest_first = published(app)
    assert [item["kind"] for item in newest_first] == ["image", "document"]
    with app.app_context():
        assert media.get_media(documents[0]["id"])["title"] == "Primero"
        for unknown in ("0123456789abcdef", "../users", "", None):
            with pytest.raises(NotFound):
                media.get_media(unknown)


def test_media_page_sends_strangers_to_the_login(client):
    response = client.get("/admin/medios/")
    assert response.status_code == 302
    assert "/admin/login" in response.headers["Location"]


@pytest.mark.parametrize("kind", FORMS)
def test_uploads_by_strangers_are_sent_to_the_login(app, client, data_dir, kind):
    action, prefix, text_field = FORMS[kind]
    token = hidden_fields(client.get("/admin/login").get_data(as_text=True))["csrf_token"]
    response = client.post(action, content_type="multipart/form-data", data={
        f"{prefix}-csrf_token": token, f"{prefix}-archivo": (io.BytesIO(pdf_bytes()), "a.pdf"),
        f"{prefix}-{text_field}": "Algo"})
    assert response.status_code == 302
    assert "/admin/login" in response.headers["Location"]
    assert_nothing_stored(app, data_dir)


@pytest.mark.parametrize("kind", FORMS)
def test_uploads_without_the_form_token_are_refused(app, webmaster, data_dir, kind):
    action, prefix, text_field = FORMS[kind]
    response = webmaster.post(action, content_type="multipart/form-data", data={
        f"{prefix}-archivo": (io.BytesIO(pdf_bytes()), "a.pdf"), f"{prefix}-{text_field}": "Algo"})
    assert response.status_code == 400
    assert "El formulario caducó" in response.get_data(as_text=True)
    assert_nothing_stored(app, data_dir)


@pytest.mark.parametrize("path", [
    "/medios/../users.json", "/medios/..%2Fusers.json", "/medios/%2e%2e%2fsecret_key", "/medios/..",
    "/medios/.%2e", "/medios/users.json", "/medios/secret_key", "/medios/evil.html", "/medios/.hidden.jpg",
    "/medios/0123456789abcdef-320.jpg", "/medios/0123456789abcdef.pdf", "/medios/0123456789abcdef.svg",
    "/medios/0123456789abcdef-320.jpg%00.html", "/medios/0123456789abcdef-640.jpg",
])
def test_names_that_are_not_published_files_are_not_found(app, client, data_dir, path):
    uploads = os.path.join(data_dir, "uploads")
    os.makedirs(uploads, exist_ok=True)
    # Files that no published record lists, one of them named the way the store names its own.
    for name in ("evil.html", ".hidden.jpg", "0123456789abcdef.svg", "0123456789abcdef-640.jpg"):
        with open(os.path.join(uploads, name), "w", encoding="utf-8") as handle:
            handle.write("<script>alert(1)</script>")
    response = client.get(path)
    assert response.status_code == 404
    assert "alert(1)" not in response.get_data(as_text=True)
