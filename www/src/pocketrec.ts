/**
 * The drop-in entry (`pocketrec.js`; `import "pocketrec/widget"`): every
 * export of the main entry, and `<pocket-recs>` and `<pocket-playground>`
 * defined on import, so one
 * script tag is all a static page needs:
 *
 * ```html
 * <script type="module" src="/pocketrec/pocketrec.js"></script>
 * <pocket-recs index="/pocketrec/" mode="similar" item="sku-1"></pocket-recs>
 * ```
 */
import { definePocketPlayground } from "./playground.js";
import { definePocketRecs } from "./widget.js";

export * from "./index.js";

definePocketRecs();
definePocketPlayground();
