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

-- Tables: Pandoc sizes columns by the dashes of a pipe table's separator line, or not at all
-- when the lines are short (each format then shrinks the table to a narrow island). We size
-- every table the same way in PDF, DOCX and HTML: full text width, shared in proportion to
-- what each column holds -- at least its longest word (never broken), at most MAX_CHARS for
-- running text (which wraps), and a floor for columns of short numbers.
local MIN_CHARS, MAX_CHARS = 5, 40

local function length(text) return utf8.len(text) or #text end

local function measure(rows, header, weights)
  for _, row in ipairs(rows) do
    local column = 1
    for _, cell in ipairs(row.cells) do
      local text = pandoc.utils.stringify(cell.contents)
      local weight = header and 0 or math.min(length(text), MAX_CHARS)
      for word in text:gmatch('%S+') do weight = math.max(weight, length(word)) end
      weights[column] = math.max(weights[column], weight / cell.col_span)
      column = column + cell.col_span
    end
  end
end

function Table(tbl)
  local weights = {}
  for i = 1, #tbl.colspecs do weights[i] = MIN_CHARS end
  measure(tbl.head.rows, true, weights)
  for _, body in ipairs(tbl.bodies) do
    measure(body.head, true, weights)
    measure(body.body, false, weights)
  end
  measure(tbl.foot.rows, false, weights)
  local total = 0
  for _, weight in ipairs(weights) do total = total + weight end
  for i, spec in ipairs(tbl.colspecs) do
    tbl.colspecs[i] = { spec[1], weights[i] / total }
  end
  return tbl
end
