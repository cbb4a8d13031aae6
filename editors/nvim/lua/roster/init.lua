-- roster for Neovim: starts `roster lsp` for Markdown and text buffers inside
-- a roster workspace (a folder with `roster.toml` or `people/`).
--
--   require('roster').setup{ cmd = { 'roster', 'lsp' }, settings = { ... } }
--
-- Neovim 0.11+ uses vim.lsp.config / vim.lsp.enable; older versions (0.7,
-- the Debian package) start the client with vim.lsp.start_client and attach
-- buffers with vim.lsp.buf_attach_client.

local M = {}

M.defaults = {
  -- The server command.
  cmd = { 'roster', 'lsp' },
  -- Same keys as roster.toml (profiles, documents, undated, style, severity),
  -- plus inlayHints and debounceMs. roster.toml wins over these.
  settings = {},
  filetypes = { 'markdown', 'text' },
  -- Called with (client, bufnr) when the server attaches to a buffer.
  on_attach = nil,
}

M.config = vim.deepcopy(M.defaults)

local function is_file(path)
  return vim.fn.filereadable(path) == 1
end

local function is_dir(path)
  return vim.fn.isdirectory(path) == 1
end

--- The roster workspace of a file: the nearest folder above it that holds
--- roster.toml or people/.
function M.root_of(path)
  if path == nil or path == '' then
    return nil
  end
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while dir ~= nil and dir ~= '' do
    if is_file(dir .. '/roster.toml') or is_dir(dir .. '/people') then
      return dir
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      break
    end
    dir = parent
  end
  return nil
end

-- Byte column of an LSP character offset in a line.
local function byte_col(line, character, encoding)
  if encoding == 'utf-8' then
    return math.min(character, #line)
  end
  local ok, col = pcall(vim.str_byteindex, line, character, encoding ~= 'utf-32')
  return ok and col or #line
end

M._omni_items = {}

--- Completion that keeps roster's diacritic-insensitive matches: the server
--- says which text the items replace (`dang xuan` -> `Đặng Xuân Phong`),
--- which Neovim's own omnifunc would filter away. Set as the buffer's
--- 'omnifunc' when roster attaches: <C-x><C-o>.
function M.omnifunc(findstart, base)
  if findstart == 0 then
    return M._omni_items
  end
  M._omni_items = {}
  local client = M.client(0)
  if client == nil then
    return -3
  end
  local encoding = client.offset_encoding or 'utf-16'
  local params = vim.lsp.util.make_position_params(0, encoding)
  local response
  if vim.fn.has('nvim-0.11') == 1 then
    response = client:request_sync('textDocument/completion', params, 2000, 0)
  else
    response = client.request_sync('textDocument/completion', params, 2000, 0)
  end
  if response == nil or response.err or response.result == nil then
    return -3
  end
  local items = response.result.items or response.result
  local line = vim.api.nvim_get_current_line()
  local start = vim.fn.col('.') - 1
  for _, item in ipairs(items) do
    local edit = item.textEdit
    if edit and edit.range then
      start = math.min(start, byte_col(line, edit.range.start.character, encoding))
    end
    table.insert(M._omni_items, {
      word = (edit and edit.newText) or item.insertText or item.label,
      abbr = item.label,
      menu = item.detail or '',
      icase = 1,
      dup = 1,
      empty = 1,
    })
  end
  if #M._omni_items == 0 then
    return -3
  end
  return start
end

local function on_attach(client, bufnr)
  vim.bo[bufnr].omnifunc = "v:lua.require'roster'.omnifunc"
  if M.config.on_attach then
    M.config.on_attach(client, bufnr)
  end
end

local function client_config(root)
  local cfg = M.config
  return {
    name = 'roster',
    cmd = cfg.cmd,
    root_dir = root,
    workspace_folders = root and { { uri = vim.uri_from_fname(root), name = root } } or nil,
    init_options = cfg.settings,
    settings = { roster = cfg.settings },
    on_attach = on_attach,
  }
end

-- Neovim before 0.11: one client per workspace root.
local clients = {}

function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local root = M.root_of(vim.api.nvim_buf_get_name(bufnr))
  if root == nil then
    return nil
  end
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client(client_config(root))
    if id == nil then
      return nil
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

local function modern_api()
  return vim.lsp.config ~= nil and vim.lsp.enable ~= nil
end

-- Buffers loaded before setup (or with filetype detection off, as with
-- `nvim -u NONE`) get their filetype detected, which attaches them.
local function detect_open_buffers()
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    local name = vim.api.nvim_buf_get_name(bufnr)
    local ours = name:match('%.md$') or name:match('%.markdown$') or name:match('%.txt$')
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.bo[bufnr].filetype == '' and ours then
      vim.api.nvim_buf_call(bufnr, function()
        vim.cmd('filetype detect')
      end)
    end
  end
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  -- Attaching follows filetypes: make sure Neovim detects them.
  vim.cmd('filetype on')
  if modern_api() then
    local cfg = client_config(nil)
    cfg.filetypes = M.config.filetypes
    cfg.root_dir = function(bufnr, on_dir)
      local root = M.root_of(vim.api.nvim_buf_get_name(bufnr))
      if root then
        on_dir(root)
      end
    end
    cfg.workspace_folders = nil
    vim.lsp.config('roster', cfg)
    vim.lsp.enable('roster')
    detect_open_buffers()
    return
  end
  local group = vim.api.nvim_create_augroup('roster', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  -- Buffers already open when setup runs.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.config.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr)
    end
  end
  detect_open_buffers()
end

--- Creates a profile for the name under the cursor (server command
--- roster.createProfile; the server applies the edit).
--- The roster client attached to a buffer, if any.
function M.client(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local attached = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr })
    or vim.lsp.buf_get_clients(bufnr)
  for _, client in pairs(attached) do
    if client.name == 'roster' then
      return client
    end
  end
  return nil
end

function M.create_profile()
  local client = M.client(0)
  if client == nil then
    vim.notify('roster: not attached to this buffer', vim.log.levels.WARN)
    return
  end
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding or 'utf-16')
  vim.lsp.buf_request(0, 'workspace/executeCommand', {
    command = 'roster.createProfile',
    arguments = { params.textDocument.uri, params.position },
  }, function(err)
    if err then
      vim.notify('roster: ' .. (err.message or tostring(err)), vim.log.levels.WARN)
    end
  end)
end

return M
