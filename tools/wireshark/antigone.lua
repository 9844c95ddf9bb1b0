-- SPDX-License-Identifier: GPL-2.0
--
-- Wireshark dissector for Antigone (docs/wireshark.md): the data wire
-- format v1 (messages 7a-7c, docs/wire-format.md, and 7d) and the control protocol
-- v1 (messages 1-6c, 8-11, RELAY, docs/control-protocol.md, and 7d's
-- 0x0d-0x12, docs/sender-authenticity.md).
--
--   wireshark -X lua_script:tools/wireshark/antigone.lua
--   tshark -X lua_script:tools/wireshark/antigone.lua -r CAP -Y antigone
--
-- The layouts follow the encoders byte for byte: kmod/wire.c
-- (antigone_hdr_pack/parse) for data, keyd/wire/*.c for control. Only what
-- travels in clear is shown; AEAD ciphertexts, MACs and signatures are
-- shown as bytes (no key ever reaches a capture).
--
-- "Malformed" (expert antigone.malformed, group Malformed) means: what a
-- receiver's decoder refuses before any crypto (a wrong length, magic,
-- version, type, non-zero flags or reserved bytes, a non-canonical
-- identity, a view number out of range, counts that disagree with the
-- length). Every read is bounds-checked first, and the dissector runs under
-- pcall so that even a bug here shows as expert antigone.bug, never as a
-- Lua error.

local antigone = Proto("antigone", "Antigone secure group communication")

-- Sizes (uapi/linux/antigone.h, keyd/wire/codec.h and the message headers).
local DATA_HDR, DATA_TAG = 20, 16
local CTL_HDR, ID_LEN, VIEW_LEN, NONCE_LEN, TAG_LEN = 8, 16, 32, 12, 16
local PREFIX_LEN = CTL_HDR + VIEW_LEN + 8	-- H || g || S
local BLOCK_LEN, GRANT_LEN = 89, 45
local MAC_LEN, SIG_LEN = 16, 64
local DGRAM_MAX = 65527			-- PROTO_DGRAM_MAX
local POLICY_MAX = 1024			-- PROTO_POLICY_MAX

local guarantee_names = {
	[1] = "7a integrity",
	[2] = "7b confidentiality",
	[3] = "7c both",
	[7] = "7d sender",
}

-- Control types (enum proto_type) with the paper's message numbers.
local type_names = {
	[0x01] = "AUTH_REQ (1)", [0x02] = "PAIR_REQ (2)",
	[0x03] = "PAIR_RESP (3)", [0x04] = "AUTH_RESP (4)",
	[0x05] = "JOIN (5)", [0x6a] = "KEY (6a)",
	[0x6b] = "KEY_MEMBERS (6b)", [0x6c] = "REKEY (6c)",
	[0x08] = "MEMBER_HB (8)", [0x09] = "LEADER_HB (9)",
	[0x0a] = "RETRANSMIT (10)", [0x0b] = "LEAVE (11)",
	[0x0c] = "RELAY",
	[0x0d] = "TIME_REQ (7d)", [0x0e] = "TIME_RESP (7d)",
	[0x0f] = "CHAIN (7d)", [0x10] = "CHAIN_ANNOUNCE (7d)",
	[0x11] = "DISCLOSE (7d)", [0x12] = "CHAIN_REQ (7d)",
}

local F = ProtoField
local f = {
	-- data (7a-7c)
	version = F.uint8("antigone.version", "Version", base.DEC, nil, 0xf0),
	guarantee = F.uint8("antigone.guarantee", "Guarantee", base.DEC,
			    guarantee_names, 0x0f),
	flags = F.uint8("antigone.flags", "Flags", base.HEX),
	reserved = F.uint16("antigone.reserved", "Reserved", base.HEX),
	epoch = F.uint32("antigone.epoch", "Epoch", base.DEC),
	sender = F.uint32("antigone.sender", "Sender index", base.DEC),
	seq = F.uint64("antigone.seq", "Sequence", base.DEC),
	body_len = F.uint32("antigone.body_len", "Body length", base.DEC),
	payload = F.bytes("antigone.payload", "Payload (clear, 7a)"),
	ciphertext = F.bytes("antigone.ciphertext", "Ciphertext"),
	tag = F.bytes("antigone.tag", "Tag"),
	-- data, 7d (docs/sender-authenticity.md): the ext after the header
	d_interval = F.uint32("antigone.interval", "Interval (i)", base.DEC),
	disclosed = F.uint32("antigone.disclosed", "Disclosed interval (j)",
			     base.DEC),
	disclosed_key = F.bytes("antigone.disclosed_key",
				"Disclosed chain key K_j"),

	-- control: header
	ctl = F.none("antigone.ctl", "Antigone control message"),
	magic = F.string("antigone.ctl.magic", "Magic"),
	cversion = F.uint8("antigone.ctl.version", "Version", base.DEC),
	ctype = F.uint8("antigone.ctl.type", "Type", base.HEX, type_names),
	cflags = F.uint8("antigone.ctl.flags", "Flags", base.HEX),
	creserved = F.uint24("antigone.ctl.reserved", "Reserved", base.HEX),
	-- control: fields in clear
	a = F.string("antigone.ctl.a", "Member (A)"),
	sl = F.string("antigone.ctl.sl", "Session leader (SL)"),
	i0 = F.uint64("antigone.ctl.i0", "Nonce I0", base.HEX),
	i1 = F.uint64("antigone.ctl.i1", "Nonce I1", base.HEX),
	view = F.bytes("antigone.ctl.view", "View id (g)"),
	view_name = F.string("antigone.ctl.view.name", "Group name"),
	view_number = F.uint64("antigone.ctl.view.number", "View number (epoch)",
			       base.DEC),
	view_random = F.uint64("antigone.ctl.view.random", "View random", base.HEX),
	cseq = F.uint64("antigone.ctl.seq", "Sequence (S_SL or S_A)", base.DEC),
	part = F.uint16("antigone.ctl.part", "Part", base.DEC),
	parts = F.uint16("antigone.ctl.parts", "Parts", base.DEC),
	count = F.uint16("antigone.ctl.count", "Count", base.DEC),
	member = F.string("antigone.ctl.member", "Other member"),
	block = F.bytes("antigone.ctl.block", "Key block"),
	block_id = F.string("antigone.ctl.block.id", "Block for"),
	block_nonce = F.bytes("antigone.ctl.block.nonce", "Block nonce"),
	block_sealed = F.bytes("antigone.ctl.block.sealed", "Sealed key grant"),
	block_tag = F.bytes("antigone.ctl.block.tag", "Block tag"),
	nonce = F.bytes("antigone.ctl.nonce", "AEAD nonce (n)"),
	sealed = F.bytes("antigone.ctl.sealed", "AEAD ciphertext"),
	sealed_len = F.uint32("antigone.ctl.sealed_len", "AEAD ciphertext length",
			      base.DEC),
	aead_tag = F.bytes("antigone.ctl.aead_tag", "AEAD tag"),
	relay_len = F.uint32("antigone.ctl.relay_len", "Relayed datagram length",
			     base.DEC),
	mac = F.bytes("antigone.ctl.mac", "MAC_SK"),
	hmac = F.bytes("antigone.ctl.hmac", "HMAC (K_ch)"),
	signature = F.bytes("antigone.ctl.signature", "Ed25519 signature (PrG)"),
	-- control: 7d (docs/sender-authenticity.md)
	entry = F.bytes("antigone.ctl.entry", "Chain entry"),
	t_epoch = F.uint32("antigone.ctl.epoch", "Epoch", base.DEC),
	t_sender = F.uint32("antigone.ctl.sender", "Sender index", base.DEC),
	chain = F.uint32("antigone.ctl.chain", "Chain (c)", base.DEC),
	chain_len = F.uint32("antigone.ctl.chain_len", "Chain length (N)",
			     base.DEC),
	period = F.uint32("antigone.ctl.period_us", "Interval T (us)", base.DEC),
	lag = F.uint8("antigone.ctl.lag", "Disclosure lag d (intervals)",
		      base.DEC),
	t0 = F.uint64("antigone.ctl.t0", "Schedule start t0 (ns, leader time)",
		      base.DEC),
	commitment = F.bytes("antigone.ctl.commitment", "Commitment C_c"),
	interval = F.uint32("antigone.ctl.interval", "Interval (j)", base.DEC),
	tkey = F.bytes("antigone.ctl.key", "Disclosed chain key K_j"),
	group = F.string("antigone.ctl.group", "Group name"),
	undecoded = F.bytes("antigone.undecoded", "Undecoded"),
}
local field_list = {}
for _, v in pairs(f) do field_list[#field_list + 1] = v end
antigone.fields = field_list

local ei = {
	malformed = ProtoExpert.new("antigone.malformed",
				    "Malformed Antigone datagram",
				    expert.group.MALFORMED, expert.severity.ERROR),
	bug = ProtoExpert.new("antigone.bug", "Antigone dissector error",
			      expert.group.MALFORMED, expert.severity.ERROR),
	snap = ProtoExpert.new("antigone.truncated",
			       "Capture shorter than the datagram",
			       expert.group.UNDECODED, expert.severity.WARN),
	malleable = ProtoExpert.new("antigone.malleable",
				    "7b: no tag, malleable (docs/wire-format.md)",
				    expert.group.SECURITY, expert.severity.NOTE),
}
antigone.experts = { ei.malformed, ei.bug, ei.snap, ei.malleable }

antigone.prefs.ctl_ports = Pref.range("Control ports", "4510-4512",
	"UDP ports of the control protocol: antigoned (4510), the TTP " ..
	"(4511), the group address of rekeys and heartbeats (4512)", 65535)
antigone.prefs.data_ports = Pref.range("Data ports", "",
	"UDP ports (selectors) whose datagrams are always decoded as " ..
	"data, even when the heuristic would not claim them", 65535)
antigone.prefs.heuristic = Pref.bool("Find datagrams heuristically", true,
	"Claim UDP datagrams on any port whose first bytes are a valid " ..
	"data header v1 or control header")

-- ---- helpers --------------------------------------------------------------

-- The first complaint about the datagram being dissected, for the Info
-- column (reset by each entry point).
local first_complaint

local function malformed(item, text)
	item:add_proto_expert_info(ei.malformed, text)
	first_complaint = first_complaint or text
end

-- An identity (or group name) at off: 1..15 of [A-Za-z0-9._-], NUL-padded
-- (proto_id_valid()). Returns the text to show and whether it is canonical.
local function identity(tvb, off)
	local raw = tvb:raw(off, ID_LEN)
	local name = raw:match("^[A-Za-z0-9._-]*")
	local n = #name
	if n >= 1 and n <= 15 and raw:sub(n + 1) == string.rep("\0", ID_LEN - n) then
		return name, true
	end
	-- Shown escaped, without the padding: what a reader needs to spot.
	return (raw:gsub("%z+$", ""):gsub("[^A-Za-z0-9._-]", function(c)
		return string.format("\\x%02x", c:byte())
	end)), false
end

local function add_id(tree, field, tvb, off)
	local name, ok = identity(tvb, off)
	local item = tree:add(field, tvb(off, ID_LEN), name)
	if not ok then
		malformed(item, "non-canonical identity (-EPROTO)")
	end
	return name, ok
end

-- g: name (16) || number (8) || random (8); the number is 1 .. 2^32 - 1.
local function add_view(tree, tvb, off)
	local vt = tree:add(f.view, tvb(off, VIEW_LEN))
	local name, ok = add_id(vt, f.view_name, tvb, off)
	local hi, lo = tvb(off + 16, 4):uint(), tvb(off + 20, 4):uint()
	local item = vt:add(f.view_number, tvb(off + 16, 8))
	vt:add(f.view_random, tvb(off + 24, 8))
	if hi ~= 0 or lo == 0 then
		malformed(item, "view number outside 1 .. 2^32 - 1 (-EPROTO)")
	end
	local text = string.format("%s#%s", name, hi == 0 and tostring(lo) or "?")
	vt:set_text("View id (g): " .. text)
	return "g=" .. text
end

-- n || AEAD ciphertext || tag, the tail of 3, 4, 5, 11 and RELAY.
local function add_sealed_tail(tree, tvb, off, len)
	tree:add(f.nonce, tvb(off, NONCE_LEN))
	local ct = len - off - NONCE_LEN - TAG_LEN
	tree:add(f.sealed_len, ct):set_generated()
	if ct > 0 then
		tree:add(f.sealed, tvb(off + NONCE_LEN, ct))
	end
	tree:add(f.aead_tag, tvb(len - TAG_LEN, TAG_LEN))
	return ct
end

-- block(X) = X || n || sealed grant (45) || tag (16).
local function add_block(tree, tvb, off)
	local bt = tree:add(f.block, tvb(off, BLOCK_LEN))
	local name, ok = add_id(bt, f.block_id, tvb, off)
	bt:add(f.block_nonce, tvb(off + ID_LEN, NONCE_LEN))
	bt:add(f.block_sealed, tvb(off + ID_LEN + NONCE_LEN, GRANT_LEN))
	bt:add(f.block_tag, tvb(off + ID_LEN + NONCE_LEN + GRANT_LEN, TAG_LEN))
	bt:set_text("Key block for " .. name)
	return name, ok
end

-- H || g || S of 6a-6c, 8 and 9.
local function add_prefix(tree, tvb)
	local g = add_view(tree, tvb, CTL_HDR)
	tree:add(f.cseq, tvb(CTL_HDR + VIEW_LEN, 8))
	return g .. " S=" .. tostring(tvb(CTL_HDR + VIEW_LEN, 8):uint64())
end

-- Whether identities at base, stride apart (n of them), hold a duplicate.
local function has_dup(tvb, base, n, stride)
	local seen = {}
	for i = 0, n - 1 do
		local raw = tvb:raw(base + i * stride, ID_LEN)
		if seen[raw] then return true end
		seen[raw] = true
	end
	return false
end

-- 6b and 6c: part < parts, parts >= 1, count equal to what the length holds.
local function add_counts(tree, tvb, off, n)
	tree:add(f.part, tvb(off, 2))
	tree:add(f.parts, tvb(off + 2, 2))
	local citem = tree:add(f.count, tvb(off + 4, 2))
	local part, parts = tvb(off, 2):uint(), tvb(off + 2, 2):uint()
	local count = tvb(off + 4, 2):uint()
	if parts == 0 or part >= parts then
		malformed(citem, string.format("part %d (from 0) of %d parts (-EPROTO)",
					       part, parts))
	end
	if count ~= n then
		malformed(citem, string.format("count %d, but the length holds %d (-EMSGSIZE)",
					       count, n))
	end
	return string.format(" part %d/%d", part + 1, parts)
end

-- ---- control messages -------------------------------------------------------
-- Each body function gets the tvb, the message's tree and its (reported
-- and captured, checked equal) length, already within the type's bounds;
-- it returns the text for the Info column.

local function body_auth_req(tvb, t, len)
	local a = add_id(t, f.a, tvb, 8)
	t:add(f.i0, tvb(24, 8))
	return "A=" .. a
end

-- SL and A of 2-4: canonical, and a leader never pairs itself (get_sl_a()).
local function add_sl_a(tvb, t)
	local sl = add_id(t, f.sl, tvb, 8)
	local a = add_id(t, f.a, tvb, 24)
	if tvb:raw(8, ID_LEN) == tvb:raw(24, ID_LEN) then
		malformed(t, "SL = A (-EPROTO)")
	end
	return "SL=" .. sl .. " A=" .. a
end

local function body_pair_req(tvb, t, len)
	local text = add_sl_a(tvb, t)
	t:add(f.i1, tvb(40, 8))
	return text
end

local function body_sl_a_sealed(tvb, t, len)
	local text = add_sl_a(tvb, t)
	add_sealed_tail(t, tvb, 40, len)
	return text
end

local function body_a_sealed(tvb, t, len)
	local a = add_id(t, f.a, tvb, 8)
	add_sealed_tail(t, tvb, 24, len)
	return "A=" .. a
end

local function body_key(tvb, t, len)
	local text = add_prefix(t, tvb)
	local a = add_block(t, tvb, PREFIX_LEN)
	t:add(f.mac, tvb(len - MAC_LEN, MAC_LEN))
	return text .. " A=" .. a
end

local function body_key_members(tvb, t, len)
	local text = add_prefix(t, tvb)
	local a = add_block(t, tvb, PREFIX_LEN)
	local off = PREFIX_LEN + BLOCK_LEN
	local n = math.floor((len - off - 6 - MAC_LEN) / ID_LEN)
	text = text .. " A=" .. a .. add_counts(t, tvb, off, n)
	off = off + 6
	for i = 0, n - 1 do
		local at = off + i * ID_LEN
		local _, ok = add_id(t, f.member, tvb, at)
		if ok and tvb:raw(at, ID_LEN) == tvb:raw(PREFIX_LEN, ID_LEN) then
			malformed(t, "A among the other members (-EPROTO)")
		end
	end
	if has_dup(tvb, off, n, ID_LEN) then
		malformed(t, "an identity twice in one part (-EPROTO)")
	end
	t:add(f.mac, tvb(len - MAC_LEN, MAC_LEN))
	return text .. string.format(" others=%d", n)
end

local function body_rekey(tvb, t, len)
	local text = add_prefix(t, tvb)
	local n = math.floor((len - PREFIX_LEN - 6 - MAC_LEN) / BLOCK_LEN)
	text = text .. add_counts(t, tvb, PREFIX_LEN, n)
	local off = PREFIX_LEN + 6
	local ids = {}
	for i = 0, n - 1 do
		ids[#ids + 1] = add_block(t, tvb, off + i * BLOCK_LEN)
	end
	if has_dup(tvb, off, n, BLOCK_LEN) then
		malformed(t, "an identity twice in one part (-EPROTO)")
	end
	t:add(f.mac, tvb(len - MAC_LEN, MAC_LEN))
	return text .. " blocks=" .. table.concat(ids, ",")
end

local function body_member_hb(tvb, t, len)
	local text = add_prefix(t, tvb)
	local a = add_id(t, f.a, tvb, PREFIX_LEN)
	t:add(f.hmac, tvb(PREFIX_LEN + ID_LEN, MAC_LEN))
	return text .. " A=" .. a
end

local function body_leader_hb(tvb, t, len)
	local text = add_prefix(t, tvb)
	t:add(f.signature, tvb(PREFIX_LEN, SIG_LEN))
	return text
end

local function body_retransmit(tvb, t, len)
	local g = add_view(t, tvb, CTL_HDR)
	local a = add_id(t, f.a, tvb, CTL_HDR + VIEW_LEN)
	return g .. " A=" .. a
end

local function body_relay(tvb, t, len)
	local a = add_id(t, f.a, tvb, 8)
	local ct = add_sealed_tail(t, tvb, 24, len)
	-- The sealed part is dest_port (2) || the protected datagram.
	t:add(f.relay_len, ct - 2):set_generated()
	return string.format("A=%s datagram=%d bytes", a, ct - 2)
end

-- 7d: TIME_REQ, TIME_RESP and CHAIN are H || A || n || AEAD (body_a_sealed).
local ENTRY_LEN, ANNOUNCE_MIN = 48, 118

-- One chain entry (keyd/wire/tesla.c put_entry), checked as get_entry().
local function add_entry(tree, tvb, off)
	local et = tree:add(f.entry, tvb(off, ENTRY_LEN))
	et:add(f.t_epoch, tvb(off, 4))
	et:add(f.t_sender, tvb(off + 4, 4))
	et:add(f.chain, tvb(off + 8, 4))
	local nitem = et:add(f.chain_len, tvb(off + 12, 4))
	local titem = et:add(f.period, tvb(off + 16, 4))
	local litem = et:add(f.lag, tvb(off + 20, 1))
	et:add(f.t0, tvb(off + 24, 8))
	et:add(f.commitment, tvb(off + 32, 16))
	local n, per = tvb(off + 12, 4):uint(), tvb(off + 16, 4):uint()
	if n < 16 or n > 65536 then
		malformed(nitem, "chain length outside 16-65536 (-EPROTO)")
	end
	if per < 1000 or per > 10000000 then
		malformed(titem, "interval outside 1 ms - 10 s (-EPROTO)")
	end
	if tvb(off + 20, 1):uint() == 0 then
		malformed(litem, "lag 0 (-EPROTO)")
	end
	if tvb(off + 21, 3):uint() ~= 0 then
		malformed(et, "non-zero padding (-EPROTO)")
	end
	local text = string.format("epoch %d sender %d chain %d",
				   tvb(off, 4):uint(), tvb(off + 4, 4):uint(),
				   tvb(off + 8, 4):uint())
	et:set_text("Chain entry: " .. text)
	return text
end

local function body_chain_announce(tvb, t, len)
	local text = add_prefix(t, tvb)
	local n = math.floor((len - ANNOUNCE_MIN) / ENTRY_LEN)
	text = text .. add_counts(t, tvb, PREFIX_LEN, n)
	for i = 0, n - 1 do
		add_entry(t, tvb, PREFIX_LEN + 6 + i * ENTRY_LEN)
	end
	t:add(f.signature, tvb(len - SIG_LEN, SIG_LEN))
	return text .. string.format(" entries=%d", n)
end

local function body_disclose(tvb, t, len)
	local g = add_id(t, f.group, tvb, CTL_HDR)
	local eitem = t:add(f.t_epoch, tvb(24, 4))
	t:add(f.t_sender, tvb(28, 4))
	local iitem = t:add(f.interval, tvb(32, 4))
	t:add(f.tkey, tvb(36, 16))
	if tvb(24, 4):uint() == 0 then malformed(eitem, "epoch 0 (-EPROTO)") end
	if tvb(32, 4):uint() == 0 then malformed(iitem, "interval 0 (-EPROTO)") end
	if tvb:raw(36, 16) == string.rep("\0", 16) then
		malformed(t, "an all-zero key discloses nothing (-EPROTO)")
	end
	return string.format("group=%s epoch=%d sender=%d j=%d", g,
			     tvb(24, 4):uint(), tvb(28, 4):uint(),
			     tvb(32, 4):uint())
end

local function body_chain_req(tvb, t, len)
	local g = add_view(t, tvb, CTL_HDR)
	local a = add_id(t, f.a, tvb, CTL_HDR + VIEW_LEN)
	local eitem = t:add(f.t_epoch, tvb(56, 4))
	t:add(f.t_sender, tvb(60, 4))
	local epoch = tvb(56, 4):uint()
	local vhi, vlo = tvb(CTL_HDR + 16, 4):uint(), tvb(CTL_HDR + 20, 4):uint()
	if epoch == 0 or (vhi == 0 and epoch > vlo) then
		malformed(eitem, "epoch 0 or after the view (-EPROTO)")
	end
	return string.format("%s A=%s epoch=%d sender=%d", g, a, epoch,
			     tvb(60, 4):uint())
end

-- type -> body, least and greatest length, and for the variable ones the
-- stride the part after the fixed length must be a multiple of (as the
-- decoders check it before any key: keys.c, rekey.c).
local ctl_types = {
	[0x01] = { body_auth_req, 32, 32 },
	[0x02] = { body_pair_req, 48, 48 },
	[0x03] = { body_sl_a_sealed, 108, 108 },
	[0x04] = { body_sl_a_sealed, 164, 164 + POLICY_MAX },
	[0x05] = { body_a_sealed, 76, 76 },
	[0x6a] = { body_key, 153, 153 },
	[0x6b] = { body_key_members, 159, DGRAM_MAX, 159, ID_LEN },
	[0x6c] = { body_rekey, 70 + BLOCK_LEN, DGRAM_MAX, 70, BLOCK_LEN },
	[0x08] = { body_member_hb, 80, 80 },
	[0x09] = { body_leader_hb, 112, 112 },
	[0x0a] = { body_retransmit, 56, 56 },
	[0x0b] = { body_a_sealed, 116, 116 },
	[0x0c] = { body_relay, 55, DGRAM_MAX },
	[0x0d] = { body_a_sealed, 108, 108 },
	[0x0e] = { body_a_sealed, 116, 116 },
	[0x0f] = { body_a_sealed, 132, 132 },
	[0x10] = { body_chain_announce, ANNOUNCE_MIN + ENTRY_LEN, DGRAM_MAX,
		   ANNOUNCE_MIN, ENTRY_LEN },
	[0x11] = { body_disclose, 52, 52 },
	[0x12] = { body_chain_req, 64, 64 },
}

local function dissect_ctl(tvb, pinfo, tree)
	local len, cap = tvb:reported_len(), tvb:len()
	pinfo.cols.protocol = "Antigone-ctl"
	local t = tree:add(antigone, tvb(), "Antigone control message")
	t:add(f.ctl, tvb()):set_hidden()
	if cap < CTL_HDR then
		if cap > 0 then t:add(f.undecoded, tvb()) end
		if len >= CTL_HDR then	-- the capture's snaplen, not the sender
			t:add_proto_expert_info(ei.snap)
			return
		end
		malformed(t, string.format("%d bytes: shorter than the header (-EMSGSIZE)", len))
		pinfo.cols.info = "Antigone control, malformed"
		return
	end
	t:add(f.magic, tvb(0, 2))
	t:add(f.cversion, tvb(2, 1))
	local titem = t:add(f.ctype, tvb(3, 1))
	t:add(f.cflags, tvb(4, 1))
	t:add(f.creserved, tvb(5, 3))
	local ty = tvb(3, 1):uint()
	local name = type_names[ty] or string.format("type 0x%02x", ty)
	pinfo.cols.info = name
	t:set_text("Antigone control, " .. name)
	local why
	if tvb:raw(0, 2) ~= "AG" then
		why = "bad magic"
	elseif tvb(2, 1):uint() ~= 1 then
		why = "unknown version"
	elseif not ctl_types[ty] then
		why = "unknown type"
	elseif tvb(4, 4):uint() ~= 0 then
		why = "non-zero flags or reserved bytes"
	end
	if why then
		malformed(titem, why .. " (-EPROTO)")
		pinfo.cols.info = name .. ", malformed: " .. why
		if cap > CTL_HDR then t:add(f.undecoded, tvb(CTL_HDR)) end
		return
	end
	if cap < len then
		t:add_proto_expert_info(ei.snap)
		if cap > CTL_HDR then t:add(f.undecoded, tvb(CTL_HDR)) end
		return
	end
	local d = ctl_types[ty]
	if len < d[2] or len > d[3] or (d[4] and (len - d[4]) % d[5] ~= 0) then
		malformed(titem, string.format("%d bytes: a %s is %s (-EMSGSIZE)",
			len, name, d[2] == d[3] and tostring(d[2]) .. " bytes" or
			string.format("%d..%d bytes%s", d[2], d[3], d[4] and
				string.format(", %d + a multiple of %d", d[4], d[5]) or "")))
		pinfo.cols.info = name .. ", malformed: wrong length"
		if len > CTL_HDR then t:add(f.undecoded, tvb(CTL_HDR)) end
		return
	end
	local info = name .. " " .. d[1](tvb, t, len)
	if first_complaint then
		info = info .. ", malformed: " .. first_complaint
	end
	pinfo.cols.info = info
end

-- ---- data (7a-7d) -----------------------------------------------------------

-- What antigone_hdr_parse() (and for 7d antigone_tesla_parse()) accepts in
-- the first 20 bytes: version 1, a guarantee 1-3 or 7, zero flags and reserved, epoch and sequence not 0. Six
-- fixed or non-zero conditions over 20 bytes: random traffic passes about
-- once in 2^38, so the heuristic claims nothing else.
local function data_hdr_valid(tvb)
	if tvb:len() < DATA_HDR then return false end
	local b0 = tvb(0, 1):uint()
	return ((b0 >= 0x11 and b0 <= 0x13) or b0 == 0x17) and
	       tvb(1, 3):uint() == 0 and
	       tvb(4, 4):uint() ~= 0 and
	       (tvb(12, 4):uint() ~= 0 or tvb(16, 4):uint() ~= 0)
end

-- 7d: header || ext (24) || AEAD(payload || MAC) || tag; what
-- antigone_tesla_parse() refuses is malformed.
local EXT_LEN, MAC_LEN_7D = 24, 16
local function dissect_7d(tvb, pinfo, t, gitem, info)
	local len, cap = tvb:reported_len(), tvb:len()
	if len < DATA_HDR + EXT_LEN + MAC_LEN_7D + DATA_TAG then
		malformed(gitem, string.format("%d bytes: no room for ext, MAC and tag (-EMSGSIZE)", len))
		pinfo.cols.info = info .. ", malformed: too short for 7d"
		if cap > DATA_HDR then t:add(f.undecoded, tvb(DATA_HDR)) end
		return
	end
	if cap < len then
		t:add_proto_expert_info(ei.snap)
		if cap > DATA_HDR then t:add(f.undecoded, tvb(DATA_HDR)) end
		return
	end
	local iitem = t:add(f.d_interval, tvb(DATA_HDR, 4))
	local ditem = t:add(f.disclosed, tvb(DATA_HDR + 4, 4))
	t:add(f.disclosed_key, tvb(DATA_HDR + 8, 16))
	local i, j = tvb(DATA_HDR, 4):uint(), tvb(DATA_HDR + 4, 4):uint()
	if i == 0 then
		malformed(iitem, "interval 0 (-EPROTO)")
	elseif j >= i then
		malformed(ditem, "a key disclosed in its own interval or later (-EPROTO)")
	elseif j == 0 and tvb:raw(DATA_HDR + 8, 16) ~= string.rep("\0", 16) then
		malformed(ditem, "a key with nothing disclosed (-EPROTO)")
	end
	local body = len - DATA_HDR - EXT_LEN - MAC_LEN_7D - DATA_TAG
	t:add(f.body_len, body):set_generated()
	-- the payload and the MAC, encrypted together
	t:add(f.ciphertext, tvb(DATA_HDR + EXT_LEN, body + MAC_LEN_7D))
	t:add(f.tag, tvb(len - DATA_TAG, DATA_TAG))
	pinfo.cols.info = info .. string.format(" i=%d j=%d len=%d", i, j, body)
end

local function dissect_data(tvb, pinfo, tree)
	local len, cap = tvb:reported_len(), tvb:len()
	pinfo.cols.protocol = "Antigone"
	local t = tree:add(antigone, tvb(), "Antigone data")
	if cap < DATA_HDR then
		if cap > 0 then t:add(f.undecoded, tvb()) end
		if len >= DATA_HDR then	-- the capture's snaplen, not the sender
			t:add_proto_expert_info(ei.snap)
			return
		end
		malformed(t, string.format("%d bytes: shorter than the header (-EMSGSIZE)", len))
		pinfo.cols.info = "Antigone data, malformed: shorter than the header"
		return
	end
	local vitem = t:add(f.version, tvb(0, 1))
	local gitem = t:add(f.guarantee, tvb(0, 1))
	local fitem = t:add(f.flags, tvb(1, 1))
	t:add(f.reserved, tvb(2, 2))
	local eitem = t:add(f.epoch, tvb(4, 4))
	t:add(f.sender, tvb(8, 4))
	local sitem = t:add(f.seq, tvb(12, 8))
	local b0 = tvb(0, 1):uint()
	local g = b0 % 16
	local epoch, sender = tvb(4, 4):uint(), tvb(8, 4):uint()
	local seq = tvb(12, 8):uint64()
	local info = string.format("%s epoch=%d sender=%d seq=%s",
		guarantee_names[g] or ("guarantee " .. g), epoch, sender, tostring(seq))
	t:set_text("Antigone data, " .. info)
	pinfo.cols.info = info
	local why
	if math.floor(b0 / 16) ~= 1 then
		why = "unknown version"
		malformed(vitem, why .. " (-EPROTO)")
	elseif not guarantee_names[g] then
		why = "unknown guarantee"
		malformed(gitem, why .. " (-EPROTO)")
	elseif tvb(1, 3):uint() ~= 0 then
		why = "non-zero flags or reserved bytes"
		malformed(fitem, why .. " (-EPROTO)")
	elseif epoch == 0 then
		why = "epoch 0"
		malformed(eitem, why .. " (-EPROTO)")
	elseif tvb(12, 4):uint() == 0 and tvb(16, 4):uint() == 0 then
		why = "sequence 0"
		malformed(sitem, why .. " (-EPROTO)")
	end
	if why then
		pinfo.cols.info = info .. ", malformed: " .. why
		if cap > DATA_HDR then t:add(f.undecoded, tvb(DATA_HDR)) end
		return
	end
	local taglen = g == 2 and 0 or DATA_TAG
	if g == 7 then
		return dissect_7d(tvb, pinfo, t, gitem, info)
	end
	if len < DATA_HDR + taglen then
		malformed(gitem, string.format("%d bytes: no room for the tag (-EMSGSIZE)", len))
		pinfo.cols.info = info .. ", malformed: no room for the tag"
		if cap > DATA_HDR then t:add(f.undecoded, tvb(DATA_HDR)) end
		return
	end
	if cap < len then
		t:add_proto_expert_info(ei.snap)
		if cap > DATA_HDR then t:add(f.undecoded, tvb(DATA_HDR)) end
		return
	end
	local body = len - DATA_HDR - taglen
	t:add(f.body_len, body):set_generated()
	if body > 0 then
		t:add(g == 1 and f.payload or f.ciphertext, tvb(DATA_HDR, body))
	end
	if taglen > 0 then
		t:add(f.tag, tvb(len - DATA_TAG, DATA_TAG))
	else
		t:add_proto_expert_info(ei.malleable)
	end
	pinfo.cols.info = info .. string.format(" len=%d", body)
end

-- ---- entry points -----------------------------------------------------------

local function ctl_hdr_valid(tvb)
	return tvb:len() >= CTL_HDR and tvb:raw(0, 3) == "AG\1" and
	       ctl_types[tvb(3, 1):uint()] ~= nil and tvb(4, 4):uint() == 0
end

-- Runs fn under pcall: a bug here is an expert item, not a Lua error.
local function guarded(fn, tvb, pinfo, tree)
	first_complaint = nil
	local ok, err = pcall(fn, tvb, pinfo, tree)
	if not ok then
		tree:add_proto_expert_info(ei.bug, "Antigone dissector error: " .. tostring(err))
	end
end

local data_ports = {}	-- the Data ports preference, as a set

-- On a registered port: the first bytes decide, since data and control
-- never look alike ('A' = 0x41 is no data version). A leader re-sends a
-- relayed data datagram from its control port, so a control port also sees
-- data. What is neither is decoded as the port's kind, and malformed.
function antigone.dissector(tvb, pinfo, tree)
	local fn
	if tvb:len() >= 2 and tvb:raw(0, 2) == "AG" then
		fn = dissect_ctl
	elseif data_hdr_valid(tvb) or data_ports[pinfo.match_uint] then
		fn = dissect_data
	else
		fn = dissect_ctl
	end
	guarded(fn, tvb, pinfo, tree)
	return tvb:len()
end

-- On any other UDP port: claim only what passes the header checks; a valid
-- data header too short for its tag is claimed and shown malformed.
local function heuristic(tvb, pinfo, tree)
	if not antigone.prefs.heuristic then return false end
	local fn
	if data_hdr_valid(tvb) then
		fn = dissect_data
	elseif ctl_hdr_valid(tvb) then
		fn = dissect_ctl
	else
		return false
	end
	guarded(fn, tvb, pinfo, tree)
	return true
end
antigone:register_heuristic("udp", heuristic)

-- Port registrations follow the preferences.
local udp_port = DissectorTable.get("udp.port")
local registered = {}

local function parse_ports(s)
	local set = {}
	for part in string.gmatch(s or "", "[^,%s]+") do
		local lo, hi = part:match("^(%d+)-(%d+)$")
		lo = tonumber(lo or part)
		hi = tonumber(hi or lo)
		if lo and hi then
			for port = lo, math.min(hi, 65535) do set[port] = true end
		end
	end
	return set
end

local function register_ports()
	for port in pairs(registered) do udp_port:remove(port, antigone) end
	registered = {}
	data_ports = parse_ports(antigone.prefs.data_ports)
	local all = parse_ports(antigone.prefs.ctl_ports)
	for port in pairs(data_ports) do all[port] = true end
	for port in pairs(all) do
		udp_port:add(port, antigone)
		registered[port] = true
	end
end

antigone.prefs_changed = register_ports
register_ports()
