"""The engines that turn the document into pictures, sound and files. Never imports Qt or ui/."""
