-- :RosterCreateProfile creates a profile for the name under the cursor.
if vim.g.loaded_roster then
  return
end
vim.g.loaded_roster = true
vim.api.nvim_create_user_command('RosterCreateProfile', function()
  require('roster').create_profile()
end, { desc = 'roster: create a profile for the name under the cursor' })
