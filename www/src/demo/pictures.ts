/**
 * The demo shop's product pictures, drawn here as small SVG pictograms (no
 * third-party art): the SHAPE says the product type (a teapot with spout
 * and handle, a knife, boots…), the object is in the product's COLOUR, and
 * a BADGE in the corner gives the brand (its initial on a circle, square or
 * diamond, by the brand's place in its department). Each picture is about
 * 1 KB, in a 120 × 120 box on a soft tint of its department.
 *
 * Style, the same for all 40 types: flat shapes in the product colour with
 * a darker outline of that colour (so white and sand objects show on the
 * light tint), a lighter or darker detail colour for what sits on them,
 * neutral steel, wood and paper for parts that are not coloured, and a
 * faint shadow to stand on. Only generator-made words go into the text
 * (type, colour, brand), and those are escaped all the same.
 */
import { productKind, type Product } from "./generate.js";

/** The colours an object is drawn in: fill, outline and a contrasting detail. */
interface Paint {
  f: string;
  s: string;
  d: string;
}

/** Paint per colour attribute; details are lighter on dark colours, darker on light ones. */
const PAINTS: Record<string, Paint> = {
  black: { f: "#33363d", s: "#131417", d: "#9aa0a9" },
  white: { f: "#fbfbf8", s: "#8b9199", d: "#b3b9c1" },
  blue: { f: "#3d72d9", s: "#1f4590", d: "#b4cdf5" },
  green: { f: "#3c9a5f", s: "#1d5c36", d: "#afe0bf" },
  red: { f: "#d8443c", s: "#8c211b", d: "#f6b6b1" },
  grey: { f: "#9aa1aa", s: "#555c65", d: "#e3e6ea" },
  sand: { f: "#e6d2a8", s: "#9a7c4c", d: "#a98b5b" },
  olive: { f: "#7b8236", s: "#454a18", d: "#d3d89d" },
};

/** Department tints behind the object: pale, so any product colour stands out. */
const TINTS: Record<string, string> = {
  audio: "#e8edf7",
  tea: "#e9f2e4",
  kitchen: "#f5ebe3",
  home: "#f5efe0",
  outdoor: "#e2f0ec",
  books: "#f2e8ee",
  fitness: "#ece9f6",
  stationery: "#f3f0e4",
};

// Neutral materials: steel, wood, paper, ink (dark parts like pan handles).
const STEEL = 'fill="#d3d8de" stroke="#7b838d"';
const WOOD = 'fill="#cf9d62" stroke="#85592b"';
const PAPER = 'fill="#fdfcf7" stroke="#a3a8ae"';
const DARK = 'fill="#2d3036" stroke="#131417"';

/** A thick line in the product colour with its outline (`outline` wider, default 5): two strokes of one path. */
function band(c: Paint, d: string, width: number, outline = 5): string {
  return `<path d="${d}" fill="none" stroke-width="${width + outline}"/><path d="${d}" fill="none" stroke="${c.f}" stroke-width="${width}"/>`;
}

/** A plain book seen from the front, its cover in the colour, pages showing at the side; `icon` goes on the cover. */
function book(c: Paint, icon: string): string {
  return `<rect x="36" y="22" width="58" height="82" rx="3" ${PAPER}/><path d="M92 30v68" stroke="#d5d8dc" stroke-width="1.5"/><rect x="30" y="18" width="58" height="82" rx="3"/><path d="M38 19v80" stroke-width="2"/>${icon}`;
}

/** Pictogram drawers by type noun; each returns the elements inside the outlined, colour-filled group. */
const DRAW: Record<string, (c: Paint) => string> = {
  // audio
  headphones: (c) => `${band(c, "M28 70V58a32 32 0 0 1 64 0v12", 6)}<rect x="18" y="58" width="20" height="34" rx="8"/><rect x="82" y="58" width="20" height="34" rx="8"/><path d="M38 64v22M82 64v22" stroke="${c.d}" stroke-width="4"/>`,
  earbuds: (c) =>
    `<g transform="rotate(-12 44 50)"><rect x="38" y="50" width="11" height="40" rx="5.5"/><circle cx="44" cy="46" r="14"/><circle cx="44" cy="46" r="6" fill="${c.d}"/></g><g transform="rotate(12 78 50)"><rect x="72" y="50" width="11" height="40" rx="5.5"/><circle cx="78" cy="46" r="14"/><circle cx="78" cy="46" r="6" fill="${c.d}"/></g>`,
  speaker: (c) => `<rect x="32" y="14" width="56" height="86" rx="10"/><circle cx="60" cy="36" r="9" fill="${c.d}"/><circle cx="60" cy="72" r="20" fill="${c.d}"/><circle cx="60" cy="72" r="8"/>`,
  "headphone case": (c) =>
    `<rect x="16" y="32" width="84" height="60" rx="28"/><path d="M20 62h76" stroke="${c.d}" stroke-dasharray="3 3"/><rect x="86" y="58" width="14" height="8" rx="3" ${STEEL}/><path d="M46 54a14 14 0 0 1 28 0" fill="none" stroke="${c.d}"/>`,
  turntable: (c) =>
    `<rect x="14" y="30" width="92" height="64" rx="8"/><circle cx="52" cy="62" r="26" ${DARK}/><circle cx="52" cy="62" r="17" fill="none" stroke="#5a5e66" stroke-width="1.5"/><circle cx="52" cy="62" r="8" fill="${c.d}" stroke="none"/><path d="M94 38l-4 34-12 8" fill="none" stroke="#7b838d" stroke-width="4"/><circle cx="94" cy="40" r="6" ${STEEL}/>`,
  // tea: green tea in a tin, oolong in a pouch (the colour is the tin's)
  "green tea": (c) =>
    `<rect x="32" y="36" width="56" height="62" rx="4"/><rect x="29" y="24" width="62" height="16" rx="4"/><rect x="40" y="52" width="40" height="32" rx="3" ${PAPER}/><path d="M50 76c0-12 8-18 20-18 0 12-8 18-20 18zM52 74l12-10" fill="#63ad3f" stroke="#2f6b1a" stroke-width="2"/>`,
  "oolong tea": (c) =>
    `<path d="M34 28h52l6 70H28z"/><path d="M34 36h52" stroke="${c.d}"/><circle cx="60" cy="66" r="16" ${PAPER}/><path d="M50 72c0-10 6-14 14-14 0 10-6 14-14 14zM58 74c2-8 8-10 14-8-2 8-8 10-14 8z" fill="#a4762b" stroke="#5f4115" stroke-width="1.5"/>`,
  teapot: (c) =>
    `${band(c, "M34 58c-18 0-18 26 2 26", 5)}<path d="M82 70c10 0 12-20 22-22l2 4c-8 4-8 28-24 28z"/><ellipse cx="58" cy="70" rx="28" ry="24"/><path d="M42 48a16 8 0 0 1 32 0z" fill="${c.d}"/><circle cx="58" cy="38" r="4"/><rect x="40" y="90" width="36" height="6" rx="2"/>`,
  "tea cups": (c) =>
    [14, 60]
      .map(
        (x) =>
          `<g transform="translate(${x} 0)">${band(c, "M36 58c10 0 10 16-2 16", 3)}<path d="M4 50h36l-4 34q-1 6-7 6H15q-6 0-7-6z"/><ellipse cx="22" cy="50" rx="18" ry="4" fill="#c8883a" stroke-width="2"/></g>`,
      )
      .join(""),
  "tea strainer": (c) =>
    `${band(c, "M76 54l28-14", 4)}<path d="M20 54h56a28 28 0 0 1-56 0z"/><path d="M26 64h44M32 74h32M34 56v16M48 56v26M62 56v16" stroke="${c.d}" stroke-width="2"/><ellipse cx="48" cy="54" rx="28" ry="4" fill="${c.d}"/>`,
  // kitchen
  "chef knife": (c) =>
    `<path d="M10 62q30-14 62-14v26q-34 2-62-12z" ${STEEL}/><path d="M16 64q26-6 54-6" fill="none" stroke="#aab1b9" stroke-width="1.5"/><rect x="70" y="50" width="8" height="24" rx="2" ${STEEL}/><rect x="76" y="53" width="34" height="18" rx="7"/><circle cx="86" cy="62" r="2.5" fill="${c.d}" stroke="none"/><circle cx="100" cy="62" r="2.5" fill="${c.d}" stroke="none"/>`,
  "cutting board": (c) =>
    `<path d="M12 36q0-8 8-8h66q8 0 8 8v8q14 0 14 16t-14 16v8q0 8-8 8H20q-8 0-8-8z"/><circle cx="100" cy="60" r="4" fill="${c.d}"/><path d="M26 76l12-12M40 80l18-18M62 78l8-8" stroke="${c.d}" stroke-width="2.5"/>`,
  "frying pan": (c) =>
    `<rect x="72" y="55" width="40" height="10" rx="5" ${DARK}/><circle cx="44" cy="60" r="32"/><circle cx="44" cy="60" r="24" fill="#000" fill-opacity=".22" stroke="none"/><path d="M30 48a18 18 0 0 1 14-6" fill="none" stroke="#fff" stroke-opacity=".5"/>`,
  saucepan: (c) =>
    `<rect x="74" y="56" width="38" height="9" rx="4.5" ${DARK}/><rect x="20" y="48" width="60" height="44" rx="6"/><path d="M16 48q34-20 68 0z" fill="${c.d}"/><circle cx="50" cy="34" r="4" ${DARK}/><path d="M20 58h60" stroke="${c.d}" stroke-width="2"/>`,
  spatula: (c) =>
    `<rect x="55" y="52" width="10" height="50" rx="5"/><path d="M57 52l-1-6h8l-1 6z"/><rect x="38" y="12" width="44" height="36" rx="7"/><path d="M48 20v20M60 20v20M72 20v20" stroke="${c.s}" stroke-width="4"/><circle cx="60" cy="94" r="2" fill="${c.d}" stroke="none"/>`,
  // home
  "desk lamp": (c) =>
    `<path d="M62 54l16 44H90L68 50z" fill="#ffe9a6" stroke="none" opacity=".8"/>${band(c, "M34 94L26 60l30-24", 3)}<rect x="16" y="92" width="36" height="8" rx="4"/><circle cx="26" cy="60" r="5" fill="${c.d}"/><path d="M50 30l22-10 18 26q-12 10-28 10z"/><circle cx="56" cy="36" r="5" fill="${c.d}"/>`,
  "floor lamp": (c) =>
    `<path d="M40 48h40l8 30H32z" fill="#ffe9a6" stroke="none" opacity=".7"/>${band(c, "M60 48v50", 2)}<ellipse cx="60" cy="100" rx="16" ry="4"/><path d="M42 14h36l10 34H32z"/><path d="M38 30h44" stroke="${c.d}" stroke-width="2"/>`,
  "throw blanket": (c) =>
    `<rect x="14" y="34" width="90" height="56" rx="12"/><path d="M40 34v56M78 34v56M14 52h90M14 72h90" stroke="${c.d}" stroke-width="5" stroke-opacity=".8"/><path d="M14 62a10 14 0 0 1 0-14" fill="none"/><rect x="14" y="34" width="90" height="56" rx="12" fill="none"/><path d="M24 90v8M34 90v8M44 90v8M54 90v8M64 90v8M74 90v8M84 90v8M94 90v8" stroke-width="2"/>`,
  cushion: (c) =>
    `<path d="M20 24q40-8 80 0-8 36 0 72-40-8-80 0 8-36 0-72z"/><path d="M30 34l10 10M90 34l-10 10M30 86l10-10M90 86l-10-10" stroke="${c.d}" stroke-width="2"/><circle cx="60" cy="60" r="6" fill="${c.d}"/>`,
  "wall clock": (c) =>
    `<circle cx="60" cy="58" r="40"/><circle cx="60" cy="58" r="31" ${PAPER}/><path d="M60 31v7M60 78v7M33 58h7M80 58h7" stroke="#2d3036"/><path d="M60 58V40M60 58l13 8" stroke="#2d3036" stroke-width="4"/><circle cx="60" cy="58" r="3" fill="${c.f}"/>`,
  // outdoor
  "hiking boots": (c) =>
    `<path d="M28 18h30v40l30 12q12 5 12 16v4H22l4-30z"/><rect x="20" y="88" width="82" height="10" rx="3" ${DARK}/><path d="M24 98v-4M36 98v-4M48 98v-4M60 98v-4M72 98v-4M84 98v-4M96 98v-4" stroke="#6b6f76" stroke-width="2"/><path d="M58 28h-10M58 38h-10M58 48h-10M64 60l-6-4M74 64l-6-4" stroke="${c.d}" stroke-width="3"/><path d="M28 26h30" stroke="${c.d}"/>`,
  "rain jacket": (c) =>
    `<path d="M44 16q16-8 32 0l8 14 18 10 4 54H92l-2-36v46H30V58l-2 36H14l4-54 18-10z"/><path d="M60 24v70" stroke="${c.s}" stroke-width="2"/><path d="M46 18q14 16 28 0" fill="${c.d}"/><path d="M36 66h12M72 66h12" stroke="${c.d}" stroke-width="3"/>`,
  "water bottle": (c) =>
    `<rect x="48" y="12" width="24" height="14" rx="4" ${DARK}/><path d="M50 26h20l8 10H42z"/><rect x="38" y="34" width="44" height="66" rx="12"/><rect x="38" y="56" width="44" height="18" fill="${c.d}"/>`,
  backpack: (c) =>
    `${band(c, "M48 24q12-14 24 0", 3)}<rect x="28" y="22" width="64" height="78" rx="20"/><path d="M30 48q30 12 60 0" fill="none" stroke="${c.s}" stroke-width="2"/><rect x="38" y="62" width="44" height="30" rx="8" fill="${c.d}"/><rect x="44" y="52" width="8" height="14" rx="2" ${DARK}/><rect x="68" y="52" width="8" height="14" rx="2" ${DARK}/>`,
  "trekking poles": (c) =>
    [
      { x: 40, tilt: -12 },
      { x: 80, tilt: 12 },
    ]
      .map(
        ({ x, tilt }) =>
          `<g transform="rotate(${tilt} ${x} 60)"><path d="M${x} 40v62" stroke="#7b838d" stroke-width="4"/><ellipse cx="${x}" cy="90" rx="9" ry="3" ${DARK}/><rect x="${x - 6}" y="12" width="12" height="30" rx="6"/><path d="M${x - 6} 16q-10 10 0 18" fill="none" stroke="${c.s}" stroke-width="2"/></g>`,
      )
      .join(""),
  // books: the colour is the cover's
  cookbook: (c) =>
    book(c, `<path d="M52 40v34M64 40v34M52 40v10q6 6 12 0V40" fill="none" stroke="${c.d}" stroke-width="3"/><ellipse cx="76" cy="46" rx="4" ry="7" fill="${c.d}" stroke="none"/><path d="M76 52v22" stroke="${c.d}" stroke-width="3"/>`),
  "travel guide": (c) => book(c, `<path d="M62 74q-14-16-14-26a14 14 0 0 1 28 0q0 10-14 26z" fill="${c.d}" stroke="none"/><circle cx="62" cy="48" r="5" fill="${c.f}" stroke="none"/><path d="M40 88q12-8 22-2t22-2" fill="none" stroke="${c.d}" stroke-width="2" stroke-dasharray="3 3"/>`),
  novel: (c) => book(c, `<path d="M44 36h36M48 46h28" stroke="${c.d}" stroke-width="4"/><path d="M62 62l4 8h8l-6 5 2 8-8-5-8 5 2-8-6-5h8z" fill="${c.d}" stroke="none"/>`),
  "field guide": (c) => book(c, `<path d="M44 80q0-36 36-40 0 36-36 40zM44 80l26-30" fill="${c.d}" stroke="${c.f}" stroke-width="2"/>`),
  notebook: (c) => `<rect x="30" y="16" width="60" height="84" rx="8"/><path d="M78 16v84" stroke="${c.d}" stroke-width="5"/><path d="M44 100v10l5-4 5 4v-10" fill="${c.d}"/>`,
  // fitness
  "yoga mat": (c) =>
    `<path d="M60 90h48v8H60z"/><rect x="16" y="38" width="64" height="52" rx="4"/><ellipse cx="80" cy="64" rx="14" ry="26"/><path d="M80 64a4 5 0 0 1 6 0 8 10 0 0 1-12 2 11 15 0 0 1 17-6" fill="none" stroke="${c.s}" stroke-width="2"/><path d="M32 38v52M62 38v52" stroke="${c.d}" stroke-width="4"/>`,
  dumbbells: (c) =>
    `<rect x="34" y="56" width="52" height="9" rx="3" ${STEEL}/>${[12, 88]
      .map((x) => `<path d="M${x + 10} 36l10 6v36l-10 6-10-6V42z"/><path d="M${x + 6} 48h8M${x + 6} 72h8" stroke="${c.d}" stroke-width="3"/>`)
      .join("")}`,
  "resistance bands": (c) =>
    // Three loops, lighter as they go down: the set's strengths.
    [
      { y: 44, opacity: "1" },
      { y: 60, opacity: ".75" },
      { y: 76, opacity: ".5" },
    ]
      .map(({ y, opacity }) => `<ellipse cx="60" cy="${y}" rx="38" ry="11" fill="none" stroke-width="11"/><ellipse cx="60" cy="${y}" rx="38" ry="11" fill="none" stroke="${c.f}" stroke-width="6" stroke-opacity="${opacity}"/>`)
      .join(""),
  "foam roller": (c) =>
    `<rect x="36" y="24" width="48" height="72" rx="4"/><ellipse cx="60" cy="96" rx="24" ry="6"/><ellipse cx="60" cy="24" rx="24" ry="7" fill="${c.d}"/><ellipse cx="60" cy="24" rx="9" ry="3" fill="${c.s}"/><path d="M44 40v8M56 40v8M68 40v8M80 40v8M50 56v8M62 56v8M74 56v8M44 72v8M56 72v8M68 72v8M80 72v8" stroke="${c.s}" stroke-width="3"/>`,
  "skipping rope": (c) => `${band(c, "M30 50C26 122 94 122 90 50", 1.5, 3)}<rect x="23" y="14" width="14" height="40" rx="7" transform="rotate(-14 30 50)"/><rect x="83" y="14" width="14" height="40" rx="7" transform="rotate(14 90 50)"/><path d="M24 46h12M84 46h12" stroke="${c.d}" stroke-width="3" stroke-linecap="butt"/>`,
  // stationery
  "fountain pen": (c) =>
    `<g transform="rotate(-40 60 60)"><path d="M88 53l18 7-18 7z" fill="#e2c36a" stroke="#8d6d1c"/><path d="M92 60h12" stroke="#8d6d1c" stroke-width="1.5"/><rect x="54" y="52" width="36" height="16" rx="3"/><rect x="14" y="50" width="44" height="20" rx="9"/><path d="M24 47h26" stroke="#b8a04d" stroke-width="4"/><path d="M56 50v20" stroke="#e2c36a" stroke-width="3"/></g>`,
  "ink bottle": (c) =>
    `<rect x="44" y="14" width="32" height="16" rx="4" ${DARK}/><rect x="48" y="28" width="24" height="12" fill="#e6edf4" stroke="#8b96a3"/><rect x="28" y="38" width="64" height="60" rx="12" fill="#e6edf4" stroke="#8b96a3"/><rect x="33" y="58" width="54" height="35" rx="8" stroke="none"/><path d="M60 66q-8 10-8 15a8 8 0 0 0 16 0q0-5-8-15z" ${PAPER}/>`,
  sketchbook: (c) =>
    `<rect x="12" y="36" width="96" height="62" rx="4"/><path d="M22 86l20-24 14 14 12-18 24 28" fill="none" stroke="${c.d}" stroke-width="3"/><circle cx="86" cy="54" r="6" fill="${c.d}" stroke="none"/>${[22, 34, 46, 58, 70, 82, 94].map((x) => `<rect x="${x}" y="30" width="5" height="12" rx="2.5" ${STEEL} stroke-width="1.5"/>`).join("")}`,
  "pencil set": (c) =>
    `<rect x="12" y="30" width="96" height="66" rx="6"/><rect x="18" y="36" width="84" height="54" rx="3" fill="#f4efe2" stroke="${c.s}" stroke-width="1.5"/>${["#e0483e", "#f0a030", "#f2d43c", "#4aa35c", "#3b6fd6"]
      .map((col, i) => `<path d="M24 ${41 + i * 10}h56l14 4-14 4H24z" fill="${col}" stroke="#3d3f44" stroke-width="1.5"/>`)
      .join("")}`,
  "desk organiser": (c) =>
    `<path d="M44 20l6 40" stroke="#f2d43c" stroke-width="6"/><path d="M62 14v46" stroke="#3b6fd6" stroke-width="6"/><rect x="72" y="16" width="10" height="44" ${STEEL}/><path d="M28 46l4 24" stroke="#e0483e" stroke-width="5"/><rect x="40" y="44" width="58" height="54" rx="4"/><rect x="16" y="64" width="40" height="34" rx="4"/><path d="M68 44v54" stroke="${c.s}" stroke-width="2"/><rect x="22" y="78" width="28" height="6" rx="3" fill="${c.d}"/>`,
};

/** The brand badge: its initial on a circle, rounded square or diamond (the brand's place in its department). */
function badge(brand: string, brandIndex: number): string {
  const shapes = [
    '<circle cx="101" cy="101" r="13"',
    '<rect x="88" y="88" width="26" height="26" rx="5"',
    '<path d="M101 85l16 16-16 16-16-16z"',
  ];
  const shape = shapes[brandIndex % shapes.length] as string;
  return `${shape} fill="#1d2330" stroke="#fff" stroke-width="2"/><text x="101" y="106" font-family="sans-serif" font-size="14" font-weight="700" text-anchor="middle" fill="#fff">${escapeXml(brand.charAt(0).toUpperCase())}</text>`;
}

/** Escapes text for an SVG attribute or element. */
function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Whether there is a drawing for this type noun. */
export function hasPicture(noun: string): boolean {
  return noun in DRAW;
}

/**
 * The SVG of a type in a colour, with the brand's badge when `brand` is
 * given (the demo shop's own pictures) and without it when shared by a
 * type and colour (the benchmark shop). Unknown types get a plain box.
 */
export function drawPicture(department: string, noun: string, colour: string, brand?: { name: string; index: number }): string {
  const paint = PAINTS[colour] ?? (PAINTS.grey as Paint);
  const draw = DRAW[noun] ?? (() => '<rect x="26" y="26" width="68" height="68" rx="8"/>');
  const label = escapeXml(`${colour} ${noun}${brand ? ` by ${brand.name}` : ""}`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" role="img" aria-label="${label}">` +
    `<rect width="120" height="120" rx="12" fill="${TINTS[department] ?? "#eef0f3"}"/>` +
    `<ellipse cx="60" cy="104" rx="38" ry="5" fill="#1d2330" opacity=".08"/>` +
    `<g fill="${paint.f}" stroke="${paint.s}" stroke-width="3" stroke-linecap="round" stroke-linejoin="round">${draw(paint)}</g>` +
    (brand ? badge(brand.name, brand.index) : "") +
    "</svg>\n"
  );
}

/** A generated product's own picture: its type, colour and brand. Undefined for a product the generator did not make. */
export function productPicture(product: Product): string | undefined {
  const kind = productKind(product);
  return kind && drawPicture(kind.department, kind.type.noun, kind.colour, { name: kind.brand, index: kind.brandIndex });
}

/**
 * The picture files a generated catalogue points at, by path: a product's
 * own `img/<id>.svg` has its badge; a shared `img/<type>-<colour>.svg`
 * (`DemoOptions.pictures: "type"`) has none.
 */
export function pictureFiles(items: readonly Product[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const p of items) {
    if (files.has(p.image)) continue;
    const kind = productKind(p);
    if (!kind) continue;
    const own = p.image === `img/${p.id}.svg`;
    files.set(p.image, drawPicture(kind.department, kind.type.noun, kind.colour, own ? { name: kind.brand, index: kind.brandIndex } : undefined));
  }
  return files;
}
