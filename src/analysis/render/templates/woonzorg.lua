-- Pandoc filter for every output format (PDF via Typst, DOCX, HTML).

-- Images:
-- * a missing file is an error (Pandoc itself only warns for DOCX and HTML and leaves a
--   placeholder), and so is a remote URL: a build never touches the network;
-- * for Typst the image is written here, because Pandoc's Typst writer drops the alt text
--   that accessible PDF (PDF/UA) needs.

local function exists(path)
  local file = io.open(path, 'rb')
  if file then file:close() end
  return file ~= nil
end

local function check(src)
  if src:match('^data:') then return end
  if src:match('^%a[%w+.-]*://') then
    error('afbeelding ' .. src .. ' staat op internet; een build gebruikt alleen lokale '
          .. 'bestanden', 0)
  end
  for _, dir in ipairs(PANDOC_STATE.resource_path) do
    if exists(pandoc.path.join({dir, src})) then return end
  end
  error('afbeelding niet gevonden: ' .. src .. ' (gezocht in '
        .. table.concat(PANDOC_STATE.resource_path, ', ') .. ')', 0)
end

local function typst_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\n', ' ') .. '"'
end

-- Sizes Typst understands as written (Pandoc's own writer would convert, we keep it simple).
local function typst_length(value)
  if value and (value:match('^%d+%.?%d*%%$') or value:match('^%d+%.?%d*[cm]m$')
                or value:match('^%d+%.?%d*in$') or value:match('^%d+%.?%d*pt$')) then
    return value
  end
end

local function typst_image(img)
  local alt = pandoc.utils.stringify(img.caption)
  if alt == '' then
    error('afbeelding ' .. img.src .. ' heeft geen alt-tekst; toegankelijke PDF (PDF/UA) '
          .. 'eist die', 0)
  end
  local args = { typst_string(img.src), 'alt: ' .. typst_string(alt) }
  for _, key in ipairs({'width', 'height'}) do
    local length = typst_length(img.attributes[key])
    if length then table.insert(args, key .. ': ' .. length) end
  end
  return pandoc.RawInline('typst', '#box(image(' .. table.concat(args, ', ') .. '))')
end

function Image(img)
  check(img.src)
  if FORMAT == 'typst' then return typst_image(img) end
end

-- Formulas (say, the distribution model in the method appendix): PDF/UA wants alt text on
-- every equation too. The TeX source is the alt text, set for this one equation only.
function Math(math)
  if FORMAT ~= 'typst' then return nil end
  local equation = pandoc.write(pandoc.Pandoc({ pandoc.Plain({ math }) }), 'typst')
  return pandoc.RawInline('typst', '#[#set math.equation(alt: ' .. typst_string(math.text)
                          .. '); ' .. equation:gsub('%s+$', '') .. ']')
end

-- Traffic lights and a box (the periodic monitor). `[rood]{.stoplicht}` is the word with a
-- dot of its colour before it: the word says it too, so colour is never the only sign (and the
-- dot is decoration, hidden from screen readers). `::: kader` sets its blocks in a shaded box
-- that does not break (HTML: the class in woonzorg.css). Okabe-Ito colours, as the charts.
local LIGHTS = { rood = 'D55E00', oranje = 'E69F00', geel = 'F0E442', groen = '009E73' }

function Span(span)
  if not span.classes:includes('stoplicht') then return nil end
  local name = pandoc.utils.stringify(span.content)
  local colour = LIGHTS[name]
  if not colour then
    error('stoplicht met onbekende kleur: ' .. name .. ' (rood, oranje, geel of groen)', 0)
  end
  local dot
  if FORMAT == 'typst' then
    dot = pandoc.RawInline('typst', '#box(baseline: 0.12em, pdf.artifact(circle(radius: '
                           .. '0.42em, stroke: 0.5pt + luma(90), fill: rgb("#' .. colour
                           .. '"))))')
  elseif FORMAT:match('html') then
    dot = pandoc.RawInline('html', '<span class="stoplicht" style="color: #' .. colour
                           .. '" aria-hidden="true">\u{25CF}</span>')
  else
    return span.content
  end
  return { dot, pandoc.Space(), table.unpack(span.content) }
end

function Div(div)
  if not div.classes:includes('kader') or FORMAT ~= 'typst' then return nil end
  local blocks = pandoc.Blocks({ pandoc.RawBlock('typst', '#block(width: 100%, fill: '
                                 .. 'accent-light, inset: 4mm, radius: 1mm, breakable: false)[') })
  blocks:extend(div.content)
  blocks:insert(pandoc.RawBlock('typst', ']'))
  return blocks
end

-- Tables: Pandoc sizes columns by the dashes of a pipe table's separator line, or not at all
-- when the lines are short (each format then shrinks the table to a narrow island). We size
-- every table the same way in PDF, DOCX and HTML, spanning the text width, from what its
-- cells hold measured in Liberation Sans Bold (Arial's metrics; bold is never narrower than
-- regular, so the estimate errs on the wide side):
-- * no column is narrower than its widest word plus the cell padding, so no word -- a header
--   word least of all -- is broken or runs into the next column (a compound may break after
--   its hyphen, Leidschendam-|Voorburg, as every format does);
-- * the room that is left goes to the columns in proportion to the width they would take
--   unwrapped: running text counts up to RUNNING_TEXT (it wraps beyond), a header only by its
--   widest word (headers wrap at spaces);
-- * a table whose words do not fit side by side even so (a matrix of all gemeenten) is set
--   DENSE: smaller text, less padding.
local BOLD = { -- advance widths of U+0020..U+007E in 1/1000 em
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
  975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
  333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
  611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
}
local OTHER = 611 -- any other character (ë, é, –) counts as a wide lowercase letter
-- The A4 text width in pt (210 - 2 x 25 mm; letter paper is wider); running text in em; a
-- margin on every word for renderers that set it a little wider (LibreOffice breaks a word
-- that fits to the point); the table text: size and cell padding left plus right in pt
-- (Typst 2 x 6 pt, Word 2 x 0.19 cm; dense 2 x 2 pt in both, see woonzorg.typ and docx.py).
local TEXT_WIDTH, RUNNING_TEXT, WORD_MARGIN = 453, 18, 1.05
local NORMAL = { size = 9, padding = 12 }
local DENSE = { size = 7, padding = 4, typst = '#set table(inset: (x: 2pt, y: 3.5pt))\n'
                .. '#show table: set text(size: 7pt)', docx = 'Compact Small' }

local function em(text)
  local width = 0
  for _, code in utf8.codes(text) do width = width + (BOLD[code - 31] or OTHER) end
  return width / 1000
end

-- The widest piece of `text` that cannot break: its words, and compounds after their hyphens
-- (Leidschendam-|Voorburg; not 2021-2025, as no format breaks a hyphen before a digit).
local function widest_piece(text)
  local widest = 0
  for word in text:gmatch('%S+') do
    for piece in word:gsub('%-(%a)', '-\n%1'):gmatch('[^\n]+') do
      widest = math.max(widest, em(piece))
    end
  end
  return widest
end

-- Per column, in em: the widest piece that cannot break, and the width unwrapped.
local function measure(rows, header, widest, unwrapped)
  for _, row in ipairs(rows) do
    local column = 1
    for _, cell in ipairs(row.cells) do
      local text = pandoc.utils.stringify(cell.contents)
      local piece = widest_piece(text)
      local whole = header and piece or math.max(piece, math.min(em(text), RUNNING_TEXT))
      for i = column, column + cell.col_span - 1 do
        widest[i] = math.max(widest[i], piece / cell.col_span)
        unwrapped[i] = math.max(unwrapped[i], whole / cell.col_span)
      end
      column = column + cell.col_span
    end
  end
end

-- The columns' shares of the text width, and whether their words fit side by side.
local function shares(widest, unwrapped, setting)
  local width, padding = TEXT_WIDTH / setting.size, setting.padding / setting.size
  local sum_least, sum_natural = 0, 0
  local function least_of(i) return widest[i] * WORD_MARGIN + padding end
  local function natural_of(i) return math.max(unwrapped[i] + padding, least_of(i)) end
  for i = 1, #widest do
    sum_least, sum_natural = sum_least + least_of(i), sum_natural + natural_of(i)
  end
  local result = {}
  for i = 1, #widest do
    local least, natural = least_of(i), natural_of(i)
    if sum_natural <= width then -- everything fits unwrapped: widen in proportion
      result[i] = natural / sum_natural
    elseif sum_least <= width then -- words whole, the room that is left shared out
      result[i] = (least + (natural - least) * (width - sum_least)
                   / (sum_natural - sum_least)) / width
    else -- too wide even so: the words keep their proportions
      result[i] = least / sum_least
    end
  end
  return result, sum_least <= width
end

-- A long table may continue on the next page (Typst repeats its header row), but its last
-- rows -- the total and the two rows above it -- stay together. Typst has no "keep with next"
-- for rows; as its developers suggest, an extra zero-width column holds one empty cell that
-- spans those rows, and the template makes such cells unbreakable. In that column the other
-- rows' last cells simply span one column more. Shorter tables never break (the template).
local LONG_TABLE, KEPT_ROWS = 25, 3

local function keep_last_rows(tbl)
  local body = tbl.bodies[#tbl.bodies].body
  if #body <= LONG_TABLE then return end
  table.insert(tbl.colspecs, { pandoc.AlignDefault, 0 })
  local function widen(rows)
    for _, row in ipairs(rows) do
      local last = row.cells[#row.cells]
      last.col_span = last.col_span + 1
    end
  end
  widen(tbl.head.rows)
  for index, body_part in ipairs(tbl.bodies) do
    widen(body_part.head)
    if index < #tbl.bodies then widen(body_part.body) end
  end
  local tail = #body - KEPT_ROWS + 1
  widen({ table.unpack(body, 1, tail - 1) })
  table.insert(body[tail].cells, pandoc.Cell({}, pandoc.AlignDefault, KEPT_ROWS, 1))
  widen(tbl.foot.rows)
end

-- HTML: a table wider than the screen (a phone) scrolls inside its own box, not the page; the
-- box can be scrolled with the keyboard and is announced by the table's caption.
local function scroll_box(tbl)
  local label = pandoc.utils.stringify(tbl.caption.long)
  return pandoc.Div({ tbl }, pandoc.Attr('', { 'table-scroll' }, {
    { 'role', 'region' }, { 'tabindex', '0' },
    { 'aria-label', label ~= '' and label or 'Tabel' },
  }))
end

-- A dense table: scoped smaller text and padding in Typst; in Word a smaller paragraph
-- style for its cells (docx.py narrows the cell margins of tables that use it).
local function dense(tbl)
  if FORMAT == 'typst' then
    return { pandoc.RawBlock('typst', '#[' .. DENSE.typst), tbl, pandoc.RawBlock('typst', ']') }
  elseif FORMAT == 'docx' then
    local function restyle(rows)
      for _, row in ipairs(rows) do
        for _, cell in ipairs(row.cells) do
          -- Pandoc gives a cell's plain text its Compact style, a paragraph the custom one.
          local blocks = cell.contents:walk({
            Plain = function(plain) return pandoc.Para(plain.content) end })
          cell.contents = { pandoc.Div(blocks, { ['custom-style'] = DENSE.docx }) }
        end
      end
    end
    restyle(tbl.head.rows)
    for _, body in ipairs(tbl.bodies) do
      restyle(body.head)
      restyle(body.body)
    end
    restyle(tbl.foot.rows)
  end
  return { tbl }
end

function Table(tbl)
  local widest, unwrapped = {}, {}
  for i = 1, #tbl.colspecs do widest[i], unwrapped[i] = 0, 0 end
  measure(tbl.head.rows, true, widest, unwrapped)
  for _, body in ipairs(tbl.bodies) do
    measure(body.head, true, widest, unwrapped)
    measure(body.body, false, widest, unwrapped)
  end
  measure(tbl.foot.rows, false, widest, unwrapped)
  local widths, fits = shares(widest, unwrapped, NORMAL)
  if not fits then widths = shares(widest, unwrapped, DENSE) end
  for i, width in ipairs(widths) do
    tbl.colspecs[i] = { tbl.colspecs[i][1], width }
  end
  if FORMAT == 'typst' then keep_last_rows(tbl) end
  if FORMAT:match('html') then return scroll_box(tbl) end
  return fits and tbl or dense(tbl)
end
