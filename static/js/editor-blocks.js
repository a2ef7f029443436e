// Story blocks for the article body editor (django-prose-editor, Tiptap): pictures from the image library,
// galleries, embeds, pull quotes, fact boxes and notes. The body stores references only (an Image id, an
// Embed id), in the markup articles/body.py renders for readers; articles/html.py allows nothing else.
// Pictures are picked, or uploaded, in the image library's own admin popup (Django's related-object lookup).
import { gettext, Node, updateAttrsDialog } from "django-prose-editor/editor"

const LAYOUTS = ["column", "wide", "full"]
const IMAGE_LOOKUP_URL = "/admin/articles/image/?_to_field=id&_popup=1"

// Opens the image library in Django's lookup popup; the chosen (or newly uploaded) image's id lands in
// `input`, appended after a comma for galleries.
const pickImages = (multiple) => ({ input }) => {
  if (typeof window.showRelatedObjectLookupPopup !== "function") return
  input.classList.toggle("vManyToManyRawIdAdminField", multiple)
  const trigger = document.createElement("a")
  trigger.id = `lookup_${input.id}`
  trigger.href = IMAGE_LOOKUP_URL
  window.showRelatedObjectLookupPopup(trigger)
}

const imageIds = (value) =>
  String(value || "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => /^\d+$/.test(part))

const imageDialog = updateAttrsDialog(
  {
    image: {
      type: "string",
      title: gettext("Image number"),
      description: gettext("Choose it in the library, or upload a new one there."),
      required: true,
      picker: { label: gettext("Choose or upload…"), handler: pickImages(false) },
    },
    layout: { type: "string", title: gettext("Layout"), enum: LAYOUTS, default: "column" },
    caption: {
      type: "string",
      title: gettext("Caption"),
      description: gettext("Leave empty to use the image's own caption."),
      format: "textarea",
    },
  },
  { title: gettext("Picture from the image library"), submitText: gettext("Insert") },
)

const galleryDialog = updateAttrsDialog(
  {
    images: {
      type: "string",
      title: gettext("Image numbers, in order"),
      description: gettext("Separated by commas; each choice in the library is added at the end."),
      required: true,
      picker: { label: gettext("Add from the library…"), handler: pickImages(true) },
    },
  },
  { title: gettext("Gallery"), submitText: gettext("Insert") },
)

const embedDialog = updateAttrsDialog(
  {
    url: {
      type: "string",
      title: gettext("Address of the post or video"),
      description: gettext("YouTube, Vimeo, X, Instagram, TikTok, Bluesky, Mastodon, SoundCloud, Spotify, …"),
      format: "url",
      required: true,
    },
  },
  { title: gettext("Embed"), submitText: gettext("Insert") },
)

// Blocks go below the block the cursor (or the selected block) is in: never replacing a selection, never
// splitting a paragraph or landing inside a gallery.
const insertBlock = (editor, content) => {
  const { $to } = editor.state.selection
  const position = $to.depth > 0 ? $to.after(1) : $to.pos
  editor.chain().focus().insertContentAt(position, content).run()
}

// What the journalist sees of a reference in the editor: a labelled box, not the reader's rendering. With
// `dialog`, a double click opens it on the reference's attributes (a picture's layout or caption, also
// inside a gallery) and saves what was changed.
const referenceView = (label, dialog = null) => ({ node, editor, getPos }) => {
  const dom = document.createElement("div")
  dom.className = "body-block-reference"
  dom.contentEditable = "false"
  dom.textContent = label(node.attrs)
  if (dialog) {
    dom.title = gettext("Double-click to change")
    dom.addEventListener("dblclick", () => {
      dialog(editor, { ...node.attrs }).then((attrs) => {
        if (!attrs) return
        const position = getPos()
        editor
          .chain()
          .focus()
          .command(({ tr }) => {
            tr.setNodeMarkup(position, undefined, { ...node.attrs, ...attrs })
            return true
          })
          .run()
      })
    })
  }
  return { dom }
}

export const BodyImage = Node.create({
  name: "bodyImage",
  group: "block",
  atom: true,
  draggable: true,

  addAttributes() {
    return {
      image: { default: null, parseHTML: (el) => el.dataset.image, renderHTML: () => ({}) },
      layout: { default: "column", parseHTML: (el) => el.dataset.layout || "column", renderHTML: () => ({}) },
      caption: {
        default: "",
        parseHTML: (el) => el.querySelector("figcaption")?.textContent || "",
        renderHTML: () => ({}),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-image]", priority: 60 }]
  },

  renderHTML({ node }) {
    const { image, caption } = node.attrs
    const layout = LAYOUTS.includes(node.attrs.layout) ? node.attrs.layout : "column"
    const figure = ["figure", { "data-image": image, "data-layout": layout }]
    return caption ? [...figure, ["figcaption", caption]] : figure
  },

  addNodeView() {
    return referenceView(
      ({ image, layout, caption }) =>
        `${gettext("Picture")} ${image} · ${layout}${caption ? ` · “${caption}”` : ""}`,
      imageDialog,
    )
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "bodyImage",
      groups: "nodes",
      button: buttons.material("image", gettext("Insert a picture")),
      command(editor) {
        imageDialog(editor, { layout: "column" }).then((attrs) => {
          const [image] = imageIds(attrs?.image)
          if (image) {
            insertBlock(editor, { type: "bodyImage", attrs: { ...attrs, image } })
          }
        })
      },
    })
  },
})

export const BodyGallery = Node.create({
  name: "bodyGallery",
  group: "block",
  content: "bodyImage+",
  draggable: true,

  parseHTML() {
    return [{ tag: "div[data-gallery]", priority: 60 }]
  },

  renderHTML() {
    return ["div", { "data-gallery": "" }, 0]
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "bodyGallery",
      groups: "nodes",
      button: buttons.material("photo_library", gettext("Insert a gallery")),
      command(editor) {
        galleryDialog(editor, {}).then((attrs) => {
          const images = imageIds(attrs?.images)
          if (images.length) {
            insertBlock(editor, {
              type: "bodyGallery",
              content: images.map((image) => ({ type: "bodyImage", attrs: { image } })),
            })
          }
        })
      },
    })
  },
})

export const BodyEmbed = Node.create({
  name: "bodyEmbed",
  group: "block",
  atom: true,
  draggable: true,

  addOptions() {
    return { resolveUrl: null }
  },

  addAttributes() {
    return {
      embed: { default: null, parseHTML: (el) => el.dataset.embed, renderHTML: () => ({}) },
      title: { default: "", parseHTML: (el) => el.title || "", renderHTML: () => ({}) },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-embed]", priority: 60 }]
  },

  renderHTML({ node }) {
    return ["figure", { "data-embed": node.attrs.embed }]
  },

  addNodeView() {
    return referenceView(({ embed, title }) => `${gettext("Embed")} ${embed}${title ? ` · ${title}` : ""}`)
  },

  addMenuItems({ menu, buttons }) {
    const { resolveUrl } = this.options
    if (!resolveUrl) return
    menu.defineItem({
      name: "bodyEmbed",
      groups: "nodes",
      button: buttons.material("smart_display", gettext("Embed a post or video")),
      command(editor) {
        embedDialog(editor, {}).then(async (attrs) => {
          if (!attrs?.url) return
          const token = document.querySelector("input[name=csrfmiddlewaretoken]")?.value || ""
          const response = await fetch(resolveUrl, {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-CSRFToken": token },
            body: JSON.stringify({ url: attrs.url }),
            credentials: "same-origin",
          })
          const answer = await response.json().catch(() => ({}))
          if (answer.message) window.alert(answer.message)
          if (answer.id) {
            insertBlock(editor, { type: "bodyEmbed", attrs: { embed: String(answer.id), title: answer.title || "" } })
          }
        })
      },
    })
  },
})

// (Parse rules run before the built-in ones: a pull quote is a blockquote, an attribution a paragraph.)

// Blocks of text with their own markup: a pull quote (quote and attribution), a fact box, a note.
const textBlock = ({ name, tag, marker, content, icon, label, starter }) =>
  Node.create({
    name,
    group: "block",
    content,
    defining: true,

    parseHTML() {
      return [{ tag: `${tag}[${marker}]`, priority: 60 }]
    },

    renderHTML() {
      return [tag, { [marker]: "" }, 0]
    },

    addMenuItems({ menu, buttons }) {
      menu.defineItem({
        name,
        groups: "nodes",
        button: buttons.material(icon, label),
        command(editor) {
          insertBlock(editor, { type: name, content: starter() })
        },
      })
    },
  })

const paragraph = (text) => ({ type: "paragraph", content: [{ type: "text", text }] })

// The line under a pull quote that says who said it.
export const PullQuoteAttribution = Node.create({
  name: "pullQuoteAttribution",
  content: "inline*",
  defining: true,

  parseHTML() {
    return [{ tag: "p[data-attribution]", priority: 60 }]
  },

  renderHTML() {
    return ["p", { "data-attribution": "" }, 0]
  },
})

export const PullQuote = textBlock({
  name: "pullQuote",
  tag: "blockquote",
  marker: "data-pull-quote",
  content: "paragraph+ pullQuoteAttribution?",
  icon: "format_quote",
  label: gettext("Insert a pull quote"),
  starter: () => [
    paragraph(gettext("The quote")),
    { type: "pullQuoteAttribution", content: [{ type: "text", text: gettext("Who said it") }] },
  ],
})

export const FactBox = textBlock({
  name: "factBox",
  tag: "aside",
  marker: "data-factbox",
  content: "(heading | paragraph | bulletList | orderedList)+",
  icon: "fact_check",
  label: gettext("Insert a fact box"),
  starter: () => [
    { type: "heading", attrs: { level: 3 }, content: [{ type: "text", text: gettext("What we know") }] },
    paragraph(gettext("The facts, one by one.")),
  ],
})

export const EditorNote = textBlock({
  name: "editorNote",
  tag: "aside",
  marker: "data-note",
  content: "paragraph+",
  icon: "sticky_note_2",
  label: gettext("Insert a note"),
  starter: () => [paragraph(gettext("A note to readers."))],
})
